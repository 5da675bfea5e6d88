package io.plugboard.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.common.NotFoundException;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.CurrentUser;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opens a credential for one call to its provider: tenant- and end-user-scoped, refused unless it and its
 * tenant are active, its token refreshed first when due.
 *
 * <p>The decrypted secret and the parsed connector are kept for {@code plugboard.credentials.cache-ttl}. While
 * {@link CredentialChanges} is live, a copy opened since it went live is used without touching the database: a
 * revoke, refresh, reconnect, settings change or tenant suspension on any instance removes it when its
 * notification arrives (typically within a millisecond of the commit; on this instance, before the service call
 * returns). Otherwise each call reads the credential's row ({@link CredentialStore#usable}) and reuses a copy only
 * while the row has the same sealed bytes, settings and connector definition, refusing a suspended tenant or a
 * status other than ACTIVE first. The TTL only bounds how long a decrypted secret stays in memory.
 *
 * <p>Deliberately not transactional: no database connection is held while the call waits for another caller's
 * token refresh (a transaction or synchronised scope here pinned one pooled connection to every waiting call,
 * which is how 100 concurrent calls on a pool of 10 deadlocked the one that had to refresh).
 */
@Component
public class CredentialResolver {

    private final CredentialStore store;
    private final TenantConnectors catalog;
    private final DestinationGuard guard;
    private final TransactionTemplate transactions;
    private final CurrentUser currentUser;
    private final TokenRefresher refresher;
    private final @Nullable Cache<Key, Opened> opened;
    private final CredentialChanges changes;

    CredentialResolver(CredentialStore store, TenantConnectors catalog, DestinationGuard guard,
                       TransactionTemplate transactions, CurrentUser currentUser, TokenRefresher refresher,
                       CredentialChanges changes,
                       @Value("${plugboard.credentials.cache-ttl:60s}") Duration cacheTtl) {
        this.store = store;
        this.catalog = catalog;
        this.guard = guard;
        this.transactions = transactions;
        this.currentUser = currentUser;
        this.refresher = refresher;
        this.opened = cacheTtl.isZero() || cacheTtl.isNegative() ? null
                : Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).build();
        this.changes = changes;
        changes.subscribe(this::changed);
    }

    private record Key(UUID tenantId, String credentialId) {
    }

    /**
     * A decrypted copy and what it was opened from; {@code trustedEpoch} is the change feed's epoch it may be
     * used in without a read (-1: never).
     */
    private record Opened(byte[] sealed, String appKey, String configJson, @Nullable String definitionDigest,
                          CredentialAccess access, long trustedEpoch) {

        boolean current(CredentialStore.UsableRow row) {
            return Arrays.equals(sealed, row.secret()) && appKey.equals(row.appKey())
                    && configJson.equals(row.configJson()) && Objects.equals(definitionDigest, row.definitionDigest())
                    && access.endUserId().equals(row.endUserExternalId());
        }
    }

    /**
     * The credential's opened secret for one call, refreshed first when its token is due. Refuses revoked,
     * expired and refresh-failed credentials (409 at the proxy) and credentials of a suspended tenant.
     *
     * <p>Guarded by {@code requireTenant} (a signed-in principal of this very tenant) rather than method
     * security: on the proxy's hot path the interceptor, its SpEL and its debug message cost about 5% of a call.
     */
    public CredentialAccess access(UUID tenantId, String id) {
        currentUser.requireTenant(tenantId);
        if (!CredentialIds.wellFormed(id)) {
            throw new NotFoundException("Credential");
        }
        String onlyEndUser = currentUser.apiClient().map(ApiPrincipal::endUserId).orElse(null);
        var key = new Key(tenantId, id);
        Opened trusted = opened == null ? null : opened.getIfPresent(key);
        if (trusted != null && trusted.trustedEpoch() >= 0 && trusted.trustedEpoch() == changes.trustedEpoch()) {
            if (onlyEndUser != null && !onlyEndUser.equals(trusted.access().endUserId())) {
                throw new NotFoundException("Credential");
            }
            return refreshedOrSame(key, trusted.access(), null);
        }
        long epoch = changes.trustedEpoch();
        long changesBefore = changes.changes();
        var row = store.usable(tenantId, id).orElseThrow(() -> new NotFoundException("Credential"));
        if (onlyEndUser != null && !onlyEndUser.equals(row.endUserExternalId())) {
            throw new NotFoundException("Credential");
        }
        if (!row.tenantActive()) {
            throw new TenantSuspendedException();
        }
        if (row.status() != CredentialStatus.ACTIVE) {
            throw new CredentialUnusableException(row.status());
        }
        if (row.secret() == null) {
            throw new CredentialUnusableException(CredentialStatus.REVOKED);
        }
        CredentialAccess access;
        try {
            access = open(key, row, epoch);
        } catch (DestinationGuard.DestinationChangedException e) {
            // The connector now points elsewhere: nothing was opened or sent; the credential waits for a reconnect.
            transactions.executeWithoutResult(status -> guard.strandOnUse(tenantId, id));
            throw e;
        }
        if (opened != null && changes.changes() != changesBefore) {
            // A change heard since the read began may be newer than the row: keep no copy of it. (The feed counts
            // a change before it removes copies, so one heard after this check also removes this copy.)
            opened.invalidate(key);
        }
        return refreshedOrSame(key, access, null);
    }

    /** After the provider answered 401 to this access: one refresh (shared with concurrent callers). */
    public CredentialAccess afterRejection(CredentialAccess rejected) {
        currentUser.requireTenant(rejected.tenantId());
        return refreshedOrSame(new Key(rejected.tenantId(), rejected.credentialId()), rejected,
                rejected.secret().accessToken());
    }

    /**
     * A refresh made here leaves the copy kept before it stale (its token, and perhaps the API origin the answer
     * moved): it goes now, so the next call reads the refreshed row rather than waiting for the change feed.
     */
    private CredentialAccess refreshedOrSame(Key key, CredentialAccess access, @Nullable String rejectedToken) {
        CredentialAccess fresh = refresher.fresh(access, rejectedToken);
        if (fresh != access && opened != null) {
            opened.invalidate(key);
        }
        return fresh;
    }

    private CredentialAccess open(Key key, CredentialStore.UsableRow row, long trustedEpoch) {
        UUID tenantId = key.tenantId();
        String id = key.credentialId();
        if (opened != null) {
            Opened copy = opened.getIfPresent(key);
            if (copy != null && copy.current(row)) {
                if (copy.trustedEpoch() != trustedEpoch) {
                    opened.asMap().replace(key, copy, new Opened(copy.sealed(), copy.appKey(), copy.configJson(),
                            copy.definitionDigest(), copy.access(), trustedEpoch));
                }
                return copy.access();
            }
        }
        byte[] sealed = Objects.requireNonNull(row.secret());
        ConnectorDefinition connector = catalog.find(tenantId, row.appKey()).map(CatalogEntry::definition)
                .orElseThrow(() -> new NotFoundException("Connector"));
        CredentialSecret secret = guard.open(tenantId, id, connector, row.destination(), sealed);
        Map<String, String> config = Map.copyOf(row.config());
        var access = new CredentialAccess(tenantId, id, row.endUserExternalId(), connector, CredentialStatus.ACTIVE,
                secret, config);
        if (opened != null) {
            opened.put(key, new Opened(sealed.clone(), row.appKey(), row.configJson(), row.definitionDigest(), access,
                    trustedEpoch));
        }
        return access;
    }

    /** Revoked or re-authenticated here: drop the decrypted copy now rather than when it expires. */
    @EventListener
    void revoked(CredentialEvents.Revoked event) {
        forget(event.tenantId(), event.credentialId());
    }

    @EventListener
    void reconnected(CredentialEvents.Reconnected event) {
        forget(event.tenantId(), event.credentialId());
    }

    /** Stranded by a destination change made here: the next call must not use the copy opened before it. */
    @EventListener
    void needsReconnect(CredentialEvents.NeedsReconnect event) {
        forget(event.tenantId(), event.credentialId());
    }

    private void forget(UUID tenantId, String credentialId) {
        if (opened != null) {
            opened.invalidate(new Key(tenantId, credentialId));
        }
    }

    /** Heard from the change feed: one credential, or all of a tenant's ({@code credentialId} null). */
    private void changed(UUID tenantId, @Nullable String credentialId) {
        if (opened == null) {
            return;
        }
        if (credentialId != null) {
            opened.invalidate(new Key(tenantId, credentialId));
        } else {
            opened.asMap().keySet().removeIf(key -> key.tenantId().equals(tenantId));
        }
    }
}
