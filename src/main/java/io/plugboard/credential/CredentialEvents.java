package io.plugboard.credential;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Application events other features (webhooks) react to. Published inside the transaction of the change they
 * describe, with the credential as that change left it: ids, connector, end user, status and metadata, never a
 * secret.
 */
public final class CredentialEvents {

    private CredentialEvents() {
    }

    /** What every credential event tells about the credential after the change. */
    public sealed interface CredentialEvent permits Created, Reconnected, RefreshFailed, RefreshRecovered, Revoked,
            MetadataUpdated, NeedsReconnect, ProviderRevocationUpdated {

        UUID tenantId();

        String credentialId();

        String appKey();

        String endUserId();

        CredentialStatus status();

        Map<String, Object> metadata();
    }

    public record Created(UUID tenantId, String credentialId, String appKey, String endUserId,
                          CredentialStatus status, Map<String, Object> metadata) implements CredentialEvent {

        static Created of(UUID tenantId, CredentialView after) {
            return new Created(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(), after.metadata());
        }
    }

    public record Reconnected(UUID tenantId, String credentialId, String appKey, String endUserId,
                              CredentialStatus status, Map<String, Object> metadata) implements CredentialEvent {

        static Reconnected of(UUID tenantId, CredentialView after) {
            return new Reconnected(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(),
                    after.metadata());
        }
    }

    /** The provider refused the refresh for good: the credential needs a reconnect. */
    public record RefreshFailed(UUID tenantId, String credentialId, String appKey, String endUserId,
                                CredentialStatus status, Map<String, Object> metadata, String error)
            implements CredentialEvent {

        static RefreshFailed of(UUID tenantId, CredentialView after, String error) {
            return new RefreshFailed(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(),
                    after.metadata(), error);
        }
    }

    /**
     * The credential can no longer be used until the end user reconnects: its connector's destination changed
     * ({@code reason} {@code connector_changed}), so its secret will not be sent there.
     */
    public record NeedsReconnect(UUID tenantId, String credentialId, String appKey, String endUserId,
                                 CredentialStatus status, Map<String, Object> metadata, String reason)
            implements CredentialEvent {

        static NeedsReconnect of(UUID tenantId, CredentialView after, String reason) {
            return new NeedsReconnect(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(),
                    after.metadata(), reason);
        }
    }

    public record RefreshRecovered(UUID tenantId, String credentialId, String appKey, String endUserId,
                                   CredentialStatus status, Map<String, Object> metadata) implements CredentialEvent {

        static RefreshRecovered of(UUID tenantId, CredentialView after) {
            return new RefreshRecovered(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(),
                    after.metadata());
        }
    }

    /** With what became of the first attempt to revoke at the provider (the retries, if any, come later). */
    public record Revoked(UUID tenantId, String credentialId, String appKey, String endUserId,
                          CredentialStatus status, Map<String, Object> metadata,
                          @Nullable ProviderRevocationState providerRevocation) implements CredentialEvent {

        static Revoked of(UUID tenantId, CredentialView after) {
            return new Revoked(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(), after.metadata(),
                    after.providerRevocation());
        }
    }

    /**
     * A revocation at the provider that was still pending when the credential was revoked (or was left to the worker by
     * a bulk revoke) reached its final outcome, done or failed: published in the transaction that records it.
     */
    public record ProviderRevocationUpdated(UUID tenantId, String credentialId, String appKey, String endUserId,
                                            CredentialStatus status, Map<String, Object> metadata,
                                            ProviderRevocationState providerRevocation) implements CredentialEvent {

        static ProviderRevocationUpdated of(UUID tenantId, CredentialView after) {
            return new ProviderRevocationUpdated(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(),
                    after.metadata(), Objects.requireNonNull(after.providerRevocation()));
        }
    }

    public record MetadataUpdated(UUID tenantId, String credentialId, String appKey, String endUserId,
                                  CredentialStatus status, Map<String, Object> metadata) implements CredentialEvent {

        static MetadataUpdated of(UUID tenantId, CredentialView after) {
            return new MetadataUpdated(tenantId, after.id(), after.appKey(), after.endUserId(), after.status(),
                    after.metadata());
        }
    }
}
