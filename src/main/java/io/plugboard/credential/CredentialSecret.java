package io.plugboard.credential;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything secret about a credential, sealed as one JSON document in the vault: the end user's
 * secret form fields (API key, password, client secret) and the OAuth tokens. Never leaves the server
 * except inside a call to the provider.
 */
public record CredentialSecret(Map<String, String> fields, @Nullable String accessToken,
                               @Nullable String refreshToken, @Nullable String tokenType,
                               @Nullable Instant expiresAt) {

    public static CredentialSecret ofFields(Map<String, String> fields) {
        return new CredentialSecret(Map.copyOf(fields), null, null, null, null);
    }

    @Override
    public String toString() {
        return "CredentialSecret[fields=" + fields.keySet() + ", accessToken=" + (accessToken == null ? "none" : "***")
                + ", refreshToken=" + (refreshToken == null ? "none" : "***") + ", expiresAt=" + expiresAt + "]";
    }
}
