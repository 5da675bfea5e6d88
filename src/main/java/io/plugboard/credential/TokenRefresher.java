package io.plugboard.credential;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ClientCredentialsTokens;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.OAuthApp;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.connector.TokenEndpoint;
import io.plugboard.connector.TokenOrigin;
import io.plugboard.connector.TokenRequestException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.observability.CallTracing;
import io.plugboard.security.TenantScope;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps OAuth tokens fresh with exactly one token request per credential at a time: callers in this JVM
 * share one in-flight refresh, and across instances a refresh claim on the credential's row (taken under a
 * brief row lock) serialises them; whoever comes second waits for the claim to go and finds the token fresh.
 *
 * <p>Database connections: none is held while the token endpoint answers, by anyone. The refreshing caller uses
 * one for a moment to claim, and again to write the result; callers in this JVM wait on its future holding none
 * (so callers must not run inside a transaction or a transaction-synchronised scope, which would pin one to each
 * of them). An instance that finds the refresh claimed by another lets its connection go and looks again every
 * so often, for at most {@code plugboard.refresh.lock-wait}.
 */
@Component
public class TokenRefresher {

    /** A refresh claim outlives the token request's deadline by this much (reading the OAuth app, writing). */
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(10);

    private static final Set<String> PERMANENT_ERRORS = Set.of("invalid_grant", "invalid_client", "unauthorized_client",
            "unsupported_grant_type", "invalid_scope");

    private final CredentialStore store;
    private final TenantConnectors connectors;
    private final IntegrationService integrations;
    private final TokenEndpoint tokenEndpoint;
    private final ClientCredentialsTokens clientCredentials;
    private final SecretVault vault;
    private final DestinationGuard guard;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final RefreshProperties properties;
    private final Clock clock;
    private final ConcurrentHashMap<String, CompletableFuture<CredentialAccess>> inFlight = new ConcurrentHashMap<>();

    private final RefreshMetrics metrics;
    private final CallTracing tracing;

    TokenRefresher(CredentialStore store, TenantConnectors connectors, IntegrationService integrations,
                   TokenEndpoint tokenEndpoint, ClientCredentialsTokens clientCredentials, SecretVault vault,
                   DestinationGuard guard, AuditLog audit,
                   ApplicationEventPublisher events,
                   TransactionTemplate transactions, RefreshProperties properties, Clock clock,
                   RefreshMetrics metrics, CallTracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.store = store;
        this.connectors = connectors;
        this.integrations = integrations;
        this.tokenEndpoint = tokenEndpoint;
        this.clientCredentials = clientCredentials;
        this.vault = vault;
        this.guard = guard;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Whether this access token is due for a refresh. A client-credentials credential without one (stored before
     * imports fetched the first token) is due: its own client ID and secret get it one.
     */
    public boolean due(CredentialAccess access) {
        if (!access.connector().authMode().oauth()) {
            return false;
        }
        if (access.secret().accessToken() == null) {
            return access.connector().authMode() == AuthMode.OAUTH2_CLIENT_CREDENTIALS;
        }
        Instant expiresAt = access.secret().expiresAt();
        return expiresAt != null && !clock.instant().plus(margin(access.connector())).isBefore(expiresAt);
    }

    /**
     * Returns a fresh access, refreshing when the token is due, or when {@code rejectedToken} (the token a
     * provider just answered 401 to) is still the current one. Concurrent callers share one refresh.
     */
    public CredentialAccess fresh(CredentialAccess access, @Nullable String rejectedToken) {
        if (rejectedToken == null && !due(access)) {
            return access;
        }
        String key = access.tenantId() + "/" + access.credentialId();
        var mine = new CompletableFuture<CredentialAccess>();
        var existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            return join(existing);
        }
        try {
            mine.complete(tracing.step(CallTracing.TOKEN_REFRESH,
                    () -> refreshLocked(access.tenantId(), access.credentialId(), rejectedToken, false)));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(key, mine);
        }
        return join(mine);
    }

    /** The background job's entry: refreshes if still due once the row is locked. */
    void refreshInBackground(UUID tenantId, String credentialId) {
        String key = tenantId + "/" + credentialId;
        var mine = new CompletableFuture<CredentialAccess>();
        if (inFlight.putIfAbsent(key, mine) != null) {
            return;
        }
        try {
            mine.complete(TenantScope.tenant(tenantId, () -> refreshLocked(tenantId, credentialId, null, true)));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private CredentialAccess refreshLocked(UUID tenantId, String id, @Nullable String rejectedToken, boolean background) {
        long deadline = System.nanoTime() + properties.lockWait().toNanos();
        long pauseMillis = 20;
        while (true) {
            try {
                return refreshUnderLock(tenantId, id, rejectedToken, background);
            } catch (ClaimedElsewhere e) {
                // Another instance is refreshing this token now.
            } catch (DataAccessException e) {
                if (!lockedElsewhere(e)) {
                    throw e;
                }
            }
            // Another instance holds the claim (or, for a moment, the row). Wait for it without a connection.
            if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                throw new RefreshFailedException("Another instance is still refreshing this credential's token.", false);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new RefreshFailedException("Interrupted while waiting for a token refresh.", false);
            }
            pauseMillis = Math.min(pauseMillis * 2, 500);
            CredentialAccess current = current(tenantId, id);
            boolean stillRejected = rejectedToken != null && rejectedToken.equals(current.secret().accessToken());
            if (!stillRejected && !due(current) && !background) {
                return current;
            }
        }
    }

    /** The credential as stored now, read without a lock. */
    private CredentialAccess current(UUID tenantId, String id) {
        var row = store.secretRow(tenantId, id).orElseThrow(() -> new NotFoundException("Credential"));
        if (row.secret() == null || row.status() == CredentialStatus.REVOKED) {
            throw new RefreshFailedException("The credential is revoked.", true);
        }
        refuseUnusable(row.status());
        ConnectorDefinition connector = connectors.find(tenantId, row.appKey()).map(CatalogEntry::definition)
                .orElseThrow(() -> new NotFoundException("Connector"));
        CredentialSecret secret = guard.open(tenantId, id, connector, row.destination(), row.secret());
        return new CredentialAccess(tenantId, id, row.endUserExternalId(), connector, row.status(), secret, row.config());
    }

    /**
     * A call that waited for someone else's refresh does not try again when that refresh failed for good (or
     * found the token expired without a refresh token): it would send the same refused grant to the provider.
     */
    private static void refuseUnusable(CredentialStatus status) {
        if (status == CredentialStatus.NEEDS_RECONNECT) {
            throw new CredentialUnusableException(status);
        }
        if (status == CredentialStatus.REFRESH_FAILED) {
            throw new RefreshFailedException("The provider refused to refresh the token; the credential needs a reconnect.",
                    true);
        }
        if (status == CredentialStatus.EXPIRED) {
            throw new RefreshFailedException("The access token expired and the provider gave no refresh token.", true);
        }
    }

    /** PostgreSQL's lock_not_available (55P03): the NOWAIT row lock is held by someone else. */
    private static boolean lockedElsewhere(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Three steps, so no row lock, transaction or database connection is held while the token endpoint answers: a
     * short transaction locks the row, decides and claims the refresh; the token request is made with none; a second
     * short transaction writes the result, only if the claim is still this one and the secret still the one sent.
     */
    private CredentialAccess refreshUnderLock(UUID tenantId, String id, @Nullable String rejectedToken,
                                              boolean background) {
        Step step = Objects.requireNonNull(transactions.execute(status ->
                claim(tenantId, id, rejectedToken, background)));
        Outcome outcome = step.decided();
        if (outcome == null) {
            Claim claim = Objects.requireNonNull(step.claim());
            try {
                Requested requested = request(claim.current());
                outcome = Objects.requireNonNull(transactions.execute(status -> complete(claim, requested)));
            } catch (RuntimeException e) {
                store.releaseRefreshClaim(tenantId, id, claim.token());
                throw e;
            }
        }
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return Objects.requireNonNull(outcome.access());
    }

    private record Outcome(@Nullable CredentialAccess access, @Nullable RuntimeException failure) {
    }

    /** What the first transaction found: a decision already ({@code decided}), or a refresh claimed. */
    private record Step(@Nullable Outcome decided, @Nullable Claim claim) {

        static Step decided(Outcome outcome) {
            return new Step(outcome, null);
        }
    }

    private record Claim(UUID token, CredentialAccess current, CredentialStore.SecretRow row) {
    }

    /** The token endpoint's answer: new tokens, or why there are none. */
    private record Requested(TokenEndpoint.@Nullable Tokens tokens, @Nullable TokenRequestException failure) {
    }

    /** Another instance's claim is live: it is talking to the token endpoint for this credential now. */
    private static final class ClaimedElsewhere extends RuntimeException {
        ClaimedElsewhere() {
            super(null, null, false, false);
        }
    }

    /** Runs in the first transaction, with the row locked. */
    private Step claim(UUID tenantId, String id, @Nullable String rejectedToken, boolean background) {
        var row = store.lockForRefresh(tenantId, id).orElseThrow(() -> new NotFoundException("Credential"));
        ConnectorDefinition connector = connectors.find(tenantId, row.appKey()).map(CatalogEntry::definition)
                .orElseThrow(() -> new NotFoundException("Connector"));
        if (row.secret() == null || row.status() == CredentialStatus.REVOKED) {
            throw new RefreshFailedException("The credential is revoked.", true);
        }
        if (!background || row.status() == CredentialStatus.NEEDS_RECONNECT) {
            refuseUnusable(row.status());
        }
        CredentialSecret secret;
        try {
            secret = guard.open(tenantId, id, connector, row.destination(), row.secret());
        } catch (DestinationGuard.DestinationChangedException e) {
            // Nothing is sent to the token endpoint: the mark is committed with this transaction, then thrown.
            guard.strandOnUse(tenantId, id);
            return Step.decided(new Outcome(null, e));
        }
        var current = new CredentialAccess(tenantId, id, row.endUserExternalId(), connector, row.status(), secret,
                row.config());
        boolean stillRejected = rejectedToken != null && rejectedToken.equals(secret.accessToken());
        boolean retryFailed = background && row.status() == CredentialStatus.REFRESH_FAILED;
        if (!stillRejected && !due(current) && !retryFailed) {
            return Step.decided(new Outcome(current, null));
        }
        Instant now = clock.instant();
        if (connector.authMode() != AuthMode.OAUTH2_CLIENT_CREDENTIALS && secret.refreshToken() == null) {
            boolean expired = secret.expiresAt() != null && !now.isBefore(secret.expiresAt());
            if (expired) {
                store.markExpired(tenantId, id, now);
                return Step.decided(new Outcome(current, new RefreshFailedException(
                        "The access token expired and the provider gave no refresh token.", true)));
            }
            return Step.decided(new Outcome(current, null));
        }
        UUID token = UUID.randomUUID();
        // Past the token request's own deadline: only an instance that died mid-refresh leaves a claim to lapse.
        if (!store.claimRefresh(tenantId, id, token, now.plus(tokenEndpoint.deadline()).plus(CLAIM_MARGIN), now)) {
            throw new ClaimedElsewhere();
        }
        return new Step(null, new Claim(token, current, row));
    }

    /** The token request, outside any transaction. */
    private Requested request(CredentialAccess current) {
        ConnectorDefinition connector = current.connector();
        CredentialSecret secret = current.secret();
        try {
            if (connector.authMode() == AuthMode.OAUTH2_CLIENT_CREDENTIALS) {
                return new Requested(clientCredentials.issue(current.tenantId(), connector,
                        current.config().get("clientId"), secret.fields().get("clientSecret")), null);
            }
            OAuthApp app = integrations.oauthApp(current.tenantId(), connector.appKey())
                    .orElseThrow(() -> new RefreshFailedException(connector.name()
                            + " is no longer enabled or configured for this tenant.", false));
            return new Requested(tokenEndpoint.refresh(TokenOrigin.of(connector, current.config()), app.clientId(),
                    app.clientSecret(),
                    Objects.requireNonNull(secret.refreshToken()),
                    app.scopes().isEmpty() ? connector.oauth().scopes() : app.scopes(),
                    URI.create(integrations.redirectUri())), null);
        } catch (TokenRequestException e) {
            return new Requested(null, e);
        }
    }

    /**
     * Whether the row still holds the secret the refresh was requested with. A master-key re-encryption re-seals it
     * under the new key meanwhile: new ciphertext, same secret, and the refreshed token belongs over it.
     */
    private boolean sameSecret(Claim claim, CredentialStore.SecretRow row) {
        if (row.secret() == null || !Objects.equals(row.destination(), claim.row().destination())) {
            return false;
        }
        if (Arrays.equals(row.secret(), claim.row().secret())) {
            return true;
        }
        CredentialAccess current = claim.current();
        try {
            return guard.open(current.tenantId(), current.credentialId(), current.connector(), row.destination(),
                    row.secret()).equals(current.secret());
        } catch (CredentialUnusableException e) {
            return false;
        }
    }

    /**
     * Runs in the second transaction. Permanent failures are committed with the status change, then thrown. A
     * claim that lapsed, or a credential revoked, reconnected or re-sealed meanwhile, keeps what it has now: the
     * answer to a request made with its old secret is not written over it.
     */
    private Outcome complete(Claim claim, Requested requested) {
        CredentialAccess current = claim.current();
        UUID tenantId = current.tenantId();
        String id = current.credentialId();
        var row = store.lockClaimed(tenantId, id, claim.token()).orElse(null);
        if (row != null && (row.secret() == null || row.status() == CredentialStatus.REVOKED)) {
            store.releaseRefreshClaim(tenantId, id, claim.token());
            metrics.record(current.connector().appKey(), RefreshMetrics.Outcome.SUPERSEDED);
            return new Outcome(null, new RefreshFailedException("The credential is revoked.", true));
        }
        if (row == null || !sameSecret(claim, row)) {
            store.releaseRefreshClaim(tenantId, id, claim.token());
            metrics.record(current.connector().appKey(), RefreshMetrics.Outcome.SUPERSEDED);
            return new Outcome(null, new RefreshFailedException(
                    "The credential changed while its token was being refreshed; try again.", false));
        }
        store.releaseRefreshClaim(tenantId, id, claim.token());
        ConnectorDefinition connector = current.connector();
        CredentialSecret secret = current.secret();
        Instant now = clock.instant();
        TokenRequestException e = requested.failure();
        if (e != null) {
            boolean permanent = e.kind() == TokenRequestException.Kind.PROVIDER_ERROR
                    && e.errorCode() != null && PERMANENT_ERRORS.contains(e.errorCode());
            metrics.record(connector.appKey(), permanent ? RefreshMetrics.Outcome.REJECTED : RefreshMetrics.Outcome.FAILED);
            if (permanent) {
                return failedForGood(current, row, e.errorCode(), "The provider refused to refresh the token ("
                        + e.errorCode() + "); the credential needs a reconnect.");
            }
            store.deferRefresh(tenantId, id, now.plus(properties.retryBackoff()));
            boolean stillValid = secret.expiresAt() == null || now.isBefore(secret.expiresAt());
            return new Outcome(current, stillValid ? null
                    : new RefreshFailedException("The token could not be refreshed right now: " + e.getMessage(), false));
        }
        TokenEndpoint.Tokens tokens = Objects.requireNonNull(requested.tokens());
        Map<String, String> config;
        try {
            config = ConnectionFields.refreshedConfig(connector, current.config(), tokens.extra());
        } catch (InvalidRequestException refused) {
            // The API origin stays where it was checked to be; calls with the new token could go elsewhere.
            metrics.record(connector.appKey(), RefreshMetrics.Outcome.REJECTED);
            return failedForGood(current, row, "api_origin_not_allowed",
                    refused.getMessage() + " The credential keeps its API address and needs a reconnect.");
        }
        var refreshed = new CredentialSecret(secret.fields(), tokens.accessToken(),
                tokens.refreshToken() != null ? tokens.refreshToken() : secret.refreshToken(),
                tokens.tokenType(), tokens.expiresAt());
        // Sealed for the destination it was opened for, which the lock just taken shows unchanged.
        byte[] sealed = vault.seal(CredentialIds.binding(tenantId, id, row.destination()),
                CredentialStore.JSON.writeValueAsString(refreshed));
        List<String> scopes = tokens.scopes();
        store.storeRefreshed(tenantId, id, sealed, config, tokens.expiresAt(), scopes, now);
        metrics.record(connector.appKey(), RefreshMetrics.Outcome.REFRESHED);
        if (row.status() == CredentialStatus.REFRESH_FAILED) {
            audit.record(AuditActor.SYSTEM, AuditRecord.of("credential.refresh_recovered", tenantId)
                    .target("credential", id).detail("connector", connector.appKey())
                    .detail("endUser", current.endUserId()));
            events.publishEvent(CredentialEvents.RefreshRecovered.of(tenantId, store.find(tenantId, id).orElseThrow()));
        }
        return new Outcome(new CredentialAccess(tenantId, id, current.endUserId(), connector, CredentialStatus.ACTIVE,
                refreshed, config), null);
    }

    /** Committed with the second transaction: the credential needs a reconnect, audited, announced once. */
    private Outcome failedForGood(CredentialAccess current, CredentialStore.SecretRow row, String error,
                                  String message) {
        UUID tenantId = current.tenantId();
        String id = current.credentialId();
        store.markRefreshFailed(tenantId, id, clock.instant());
        audit.record(AuditActor.SYSTEM, AuditRecord.of("credential.refresh_failed", tenantId)
                .target("credential", id).detail("connector", current.connector().appKey())
                .detail("endUser", current.endUserId()).detail("error", error));
        // The event marks the change of state; the background job's later retries of a credential that
        // already needs a reconnect are audited but tell a webhook receiver nothing new.
        if (row.status() != CredentialStatus.REFRESH_FAILED) {
            events.publishEvent(CredentialEvents.RefreshFailed.of(tenantId, store.find(tenantId, id).orElseThrow(), error));
        }
        return new Outcome(current, new RefreshFailedException(message, true));
    }

    private Duration margin(ConnectorDefinition connector) {
        Duration own = connector.oauth() == null ? null : connector.oauth().refreshMarginOrNull();
        return own != null ? own : properties.margin();
    }

    private static CredentialAccess join(CompletableFuture<CredentialAccess> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
