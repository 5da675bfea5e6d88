package io.plugboard.credential;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.OAuthApp;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revocation at the provider. The first attempt is made at revoke time, before the credential's secret is
 * destroyed and outside any transaction, so the common case is settled at once; one that did not get through is
 * queued ({@link ProviderRevocations}) with the material it needs sealed until the provider confirms or the retries
 * give up, and retried by {@link RevocationWorker}. Each final outcome is audited once
 * ({@code credential.provider_revocation.done} / {@code .failed}); the retries in between are not.
 *
 * <p>A retry sends the material only to the revocation endpoint, with the client authentication, that the first
 * attempt used: if the connector's definition changed since, it is not sent at all and the revocation fails as
 * {@value #CONNECTOR_CHANGED}.
 */
@Component
class RevocationQueue {

    static final String CONNECTOR_CHANGED = "connector_changed";
    static final String UNREADABLE = "sealed material unreadable";

    /** Worked out and attempted at revoke time; recorded in the revoke's transaction by {@link #record}. */
    record FirstAttempt(ProviderRevocationStatus status, ProviderRevocation.@Nullable Material material,
                        @Nullable String revocationUrl, @Nullable String clientAuth, int attempts,
                        String detail) {

        @Override
        public String toString() {
            return "FirstAttempt[" + status + ", " + detail + "]";
        }
    }

    private final ProviderRevocations store;
    private final ProviderRevocation revocation;
    private final TenantConnectors catalog;
    private final IntegrationService integrations;
    private final SecretVault vault;
    private final DestinationGuard guard;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final RevocationProperties properties;
    private final CredentialStore credentials;
    private final ApplicationEventPublisher events;

    RevocationQueue(ProviderRevocations store, ProviderRevocation revocation, TenantConnectors catalog,
                    IntegrationService integrations, SecretVault vault, DestinationGuard guard, AuditLog audit,
                    TransactionTemplate transactions, RevocationProperties properties, CredentialStore credentials,
                    ApplicationEventPublisher events) {
        this.store = store;
        this.revocation = revocation;
        this.catalog = catalog;
        this.integrations = integrations;
        this.vault = vault;
        this.guard = guard;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.credentials = credentials;
        this.events = events;
    }

    static SecretBinding binding(UUID tenantId, String credentialId) {
        return new SecretBinding("credential.provider_revocation", tenantId, credentialId);
    }

    /** The first attempt, for a credential about to be revoked. Makes the HTTP call: call it outside a transaction. */
    FirstAttempt attemptFirst(UUID tenantId, CredentialStore.SecretRow row) {
        return first(tenantId, row, true);
    }

    /**
     * The first attempt left to the worker, for a credential revoked in bulk: everything {@link #attemptFirst}
     * checks, but a token to send is queued as pending and due at once instead of sent, so a provider that hangs
     * holds no one's request. Makes no HTTP call.
     */
    FirstAttempt queueFirst(UUID tenantId, CredentialStore.SecretRow row) {
        return first(tenantId, row, false);
    }

    private FirstAttempt first(UUID tenantId, CredentialStore.SecretRow row, boolean sendNow) {
        var connector = catalog.find(tenantId, row.appKey()).map(CatalogEntry::definition).orElse(null);
        if (connector == null) {
            return notSupported("the connector no longer exists");
        }
        var oauth = connector.oauth();
        if (oauth == null || oauth.revocationUrl() == null) {
            return notSupported(ProviderRevocation.Outcome.NOT_APPLICABLE.detail());
        }
        if (row.secret() == null) {
            return notSupported("no token to revoke");
        }
        CredentialSecret secret;
        try {
            secret = guard.open(tenantId, row.id(), connector, row.destination(), row.secret());
        } catch (CredentialUnusableException e) {
            // The revocation endpoint is part of the destination: a token goes nowhere it was not issued for.
            return new FirstAttempt(ProviderRevocationStatus.FAILED, null, oauth.revocationUrl(),
                    oauth.revocationClientAuth().name(), 0, CONNECTOR_CHANGED);
        }
        OAuthApp app = app(tenantId, connector);
        var material = ProviderRevocation.material(secret, row.config(), app);
        if (!sendNow && material != null) {
            return new FirstAttempt(ProviderRevocationStatus.PENDING, material, oauth.revocationUrl(),
                    oauth.revocationClientAuth().name(), 0, "queued");
        }
        // Without material nothing is sent: revoke() only checks the endpoint and says there is no token.
        var outcome = revocation.revoke(connector, secret, row.config(), app);
        if (!outcome.attempted()) {
            return notSupported(outcome.detail());
        }
        ProviderRevocationStatus status = outcome.succeeded() ? ProviderRevocationStatus.DONE
                : outcome.retryable() && material != null ? ProviderRevocationStatus.PENDING
                : ProviderRevocationStatus.FAILED;
        return new FirstAttempt(status, status == ProviderRevocationStatus.PENDING ? material : null,
                oauth.revocationUrl(), oauth.revocationClientAuth().name(), 1, outcome.detail());
    }

    /**
     * Records the first attempt, in the revoke's transaction: a pending one with its material sealed to this row
     * and tenant (due at once if nothing was sent yet), a final one audited.
     */
    void record(UUID tenantId, String credentialId, String appKey, String endUser, FirstAttempt first, Instant now) {
        // Nothing to report while nothing was tried yet (a bulk revoke queues its first attempt).
        String error = first.status() == ProviderRevocationStatus.DONE
                || first.status() == ProviderRevocationStatus.NOT_SUPPORTED
                || (first.status() == ProviderRevocationStatus.PENDING && first.attempts() == 0)
                ? null : first.detail();
        if (first.status() == ProviderRevocationStatus.PENDING) {
            byte[] sealed = vault.seal(binding(tenantId, credentialId),
                    CredentialStore.JSON.writeValueAsString(Objects.requireNonNull(first.material())));
            store.insertPending(tenantId, credentialId, appKey, Objects.requireNonNull(first.revocationUrl()),
                    Objects.requireNonNull(first.clientAuth()), sealed, first.attempts(), error, now,
                    first.attempts() == 0 ? now : now.plus(properties.backoff(first.attempts())),
                    now.plus(properties.maxAge()));
            return;
        }
        store.insertFinished(tenantId, credentialId, appKey, first.status(), first.revocationUrl(), first.clientAuth(),
                first.attempts(), error, now);
        if (first.status() != ProviderRevocationStatus.NOT_SUPPORTED) {
            audit.record(finalOutcome(first.status(), tenantId, credentialId, appKey, first.attempts(), first.detail())
                    .detail("endUser", endUser));
        }
    }

    /**
     * One retry of a claimed revocation: the checks and the HTTP call outside any transaction, then the outcome
     * recorded in one, if the lease is still this worker's.
     */
    void retry(ProviderRevocations.Claimed claimed, Instant now) {
        var connector = catalog.find(claimed.tenantId(), claimed.appKey()).map(CatalogEntry::definition).orElse(null);
        var oauth = connector == null ? null : connector.oauth();
        if (connector == null || oauth == null || !claimed.revocationUrl().equals(oauth.revocationUrl())
                || !claimed.clientAuth().equals(oauth.revocationClientAuth().name())) {
            finish(claimed, ProviderRevocationStatus.FAILED, claimed.attempts(), null, CONNECTOR_CHANGED, now);
            return;
        }
        ProviderRevocation.Material material;
        try {
            material = CredentialStore.JSON.readValue(vault.open(binding(claimed.tenantId(), claimed.credentialId()),
                    claimed.material()), ProviderRevocation.Material.class);
        } catch (SecretUnreadableException e) {
            finish(claimed, ProviderRevocationStatus.FAILED, claimed.attempts(), null, UNREADABLE, now);
            return;
        }
        OAuthApp app = material.clientId() == null ? app(claimed.tenantId(), connector) : null;
        var outcome = revocation.send(connector, material, app);
        int attempts = claimed.attempts() + 1;
        if (outcome.succeeded()) {
            finish(claimed, ProviderRevocationStatus.DONE, attempts, now, null, now);
        } else if (!outcome.retryable()) {
            finish(claimed, ProviderRevocationStatus.FAILED, attempts, now, outcome.detail(), now);
        } else {
            Instant next = now.plus(properties.backoff(attempts));
            if (next.isAfter(claimed.giveUpAt())) {
                finish(claimed, ProviderRevocationStatus.FAILED, attempts, now,
                        outcome.detail() + " (gave up after " + attempts + " attempts)", now);
            } else {
                store.recordRetry(claimed, attempts, now, outcome.detail(), next);
            }
        }
    }

    private void finish(ProviderRevocations.Claimed claimed, ProviderRevocationStatus status, int attempts,
                        @Nullable Instant attemptedAt, @Nullable String error, Instant now) {
        transactions.executeWithoutResult(tx -> {
            if (store.recordFinished(claimed, status, attempts, attemptedAt, error, now)) {
                audit.record(AuditActor.SYSTEM, finalOutcome(status, claimed.tenantId(), claimed.credentialId(),
                        claimed.appKey(), attempts, error == null ? "confirmed" : error));
                // The tenant's backend heard "pending" with credential.revoked; it hears the outcome in this
                // transaction (webhook outbox), so the event exists exactly when the outcome was recorded.
                credentials.find(claimed.tenantId(), claimed.credentialId()).ifPresent(after -> events.publishEvent(
                        CredentialEvents.ProviderRevocationUpdated.of(claimed.tenantId(), after)));
            }
        });
    }

    private static AuditRecord finalOutcome(ProviderRevocationStatus status, UUID tenantId, String credentialId,
                                            String appKey, int attempts, String outcome) {
        String action = status == ProviderRevocationStatus.DONE ? "credential.provider_revocation.done"
                : "credential.provider_revocation.failed";
        return AuditRecord.of(action, tenantId).target("credential", credentialId).detail("connector", appKey)
                .detail("attempts", attempts).detail("outcome", outcome);
    }

    /** The tenant's OAuth app, which authenticates the client for an authorization-code connector. */
    private @Nullable OAuthApp app(UUID tenantId, ConnectorDefinition connector) {
        return connector.authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE
                ? integrations.oauthAppForRevocation(tenantId, connector.appKey()).orElse(null) : null;
    }

    private static FirstAttempt notSupported(String detail) {
        return new FirstAttempt(ProviderRevocationStatus.NOT_SUPPORTED, null, null, null, 0, detail);
    }
}
