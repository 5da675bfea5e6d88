package io.plugboard.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A credential's state; {@link #UNKNOWN} stands for a state added to the API after this client was built. */
public enum CredentialStatus {
    ACTIVE, REFRESH_FAILED, NEEDS_RECONNECT, REVOKED, EXPIRED,
    @JsonEnumDefaultValue UNKNOWN
}
