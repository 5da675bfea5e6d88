package io.plugboard.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored credential as the API shows it: never its secret. {@code providerRevocation} is set once it is revoked:
 * how revoking it at the provider went.
 */
public record Credential(String id, String appKey, String endUserId, String endUserEmail, String endUserName,
                         String label, CredentialStatus status, Map<String, Object> metadata,
                         Map<String, String> config, List<String> scopes, Instant expiresAt, Instant createdAt,
                         Instant updatedAt, Instant lastRefreshedAt, Instant lastUsedAt, Instant revokedAt,
                         String revokedBy, Integer lastCheckStatus, Instant lastCheckAt,
                         ProviderRevocation providerRevocation) {

    public Credential {
        metadata = metadata == null ? Map.of() : metadata;
        config = config == null ? Map.of() : config;
        scopes = scopes == null ? List.of() : scopes;
    }

    /**
     * Where revoking the credential at its provider stands: {@code status} {@code done}, {@code pending},
     * {@code failed} or {@code not_supported}; {@code lastError} a summary such as {@code HTTP 503}.
     */
    public record ProviderRevocation(String status, int attempts, Instant lastAttemptAt, String lastError,
                                     Instant nextAttemptAt) {
    }
}
