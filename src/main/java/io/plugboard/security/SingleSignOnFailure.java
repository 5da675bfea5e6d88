package io.plugboard.security;

import org.jspecify.annotations.Nullable;

/**
 * A single sign-on the protocol refused before anyone was identified (a callback with an unknown state, an ID token
 * for another nonce, a provider's error): published for the audit trail, which the security kernel does not know.
 *
 * @param registrationId the provider the callback named ({@code t-<tenant id>} or {@code platform}), if any
 * @param error          the OAuth 2.0 error code, e.g. {@code authorization_request_not_found}, {@code invalid_nonce}
 */
public record SingleSignOnFailure(@Nullable String registrationId, String error, String sourceIp) {
}
