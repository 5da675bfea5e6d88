package io.plugboard.credential;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A credential as the portal and the API show it: everything but the secret material. {@code providerRevocation}
 * is set once the credential is revoked: what became of revoking it at the provider too.
 */
public record CredentialView(String id, String appKey, String endUserId, @Nullable String endUserEmail,
                             @Nullable String endUserName, @Nullable String label, CredentialStatus status,
                             Map<String, Object> metadata, Map<String, String> config, List<String> scopes,
                             @Nullable Instant expiresAt, Instant createdAt, Instant updatedAt,
                             @Nullable Instant lastRefreshedAt, @Nullable Instant lastUsedAt,
                             @Nullable Instant revokedAt, @Nullable String revokedBy,
                             @Nullable Integer lastCheckStatus, @Nullable Instant lastCheckAt,
                             @Nullable ProviderRevocationState providerRevocation) {
}
