package io.plugboard.credential.ui;

import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.ProviderRevocationStatus;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the credentials grid shows of a credential, and all it keeps of one: the grid holds every fetched row
 * in the session until the browser lets go of it, so the end user's e-mail and name, config, scopes and the
 * revocation details stay behind (the detail panel loads the credential by id). The values are the
 * {@link CredentialView}'s own objects, not copies.
 */
record CredentialRow(String id, String appKey, @Nullable String label, String endUserId, CredentialStatus status,
                     Map<String, Object> metadata, Instant createdAt, @Nullable Instant lastUsedAt,
                     @Nullable Instant lastRefreshedAt, @Nullable Instant expiresAt,
                     @Nullable Integer lastCheckStatus, @Nullable Instant lastCheckAt,
                     @Nullable ProviderRevocationStatus atProvider) {

    static CredentialRow of(CredentialView c) {
        return new CredentialRow(c.id(), c.appKey(), c.label(), c.endUserId(), c.status(), c.metadata(),
                c.createdAt(), c.lastUsedAt(), c.lastRefreshedAt(), c.expiresAt(), c.lastCheckStatus(), c.lastCheckAt(),
                c.providerRevocation() == null ? null : c.providerRevocation().status());
    }

    /** The status badge's text: a revoked credential's says what became of revoking it at the provider. */
    String statusLabel() {
        return status == CredentialStatus.REVOKED && atProvider != null
                ? atProvider.revokedHere() : status.label();
    }
}
