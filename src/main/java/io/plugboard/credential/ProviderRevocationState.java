package io.plugboard.credential;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where revoking a credential at its provider stands, as the API, the portal and the {@code credential.revoked}
 * event show it. {@code lastError} is a short summary ("HTTP 503", "HTTP 401 invalid_client", "connector_changed"):
 * never a token, never the provider's body.
 */
public record ProviderRevocationState(ProviderRevocationStatus status, int attempts, @Nullable Instant lastAttemptAt,
                                      @Nullable String lastError, @Nullable Instant nextAttemptAt) {

    /** "Revoked here · at provider: pending", for a revoked credential's status. */
    public String describe() {
        return status.revokedHere();
    }
}
