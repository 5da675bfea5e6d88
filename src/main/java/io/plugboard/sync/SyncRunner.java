package io.plugboard.sync;

import io.plugboard.credential.CredentialService;
import io.plugboard.proxy.ProxyBusyException;
import io.plugboard.proxy.ProxyException;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.AppRoles;
import io.plugboard.security.TenantScope;
import io.plugboard.universal.UniversalCrm;
import io.plugboard.universal.UniversalException;
import io.plugboard.universal.UniversalMappings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one claimed (credential, model): reads the CRM a page at a time from the checkpoint and saves each page
 * together with the next checkpoint in one transaction, guarded by the lease. A run stopped anywhere (killed,
 * failed, rate limited) leaves either a page and its checkpoint or neither, so the next run reads exactly the
 * pages not yet saved: no duplicates, no gaps.
 */
@Component
class SyncRunner {

    /** The call log's actor for every call a sync makes. */
    static final String ACTOR = "sync";
    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

    private final SyncPages pages;
    private final SyncStates states;
    private final SyncedRecords records;
    private final UniversalMappings mappings;
    private final TransactionTemplate transactions;
    private final SyncProperties properties;
    private final SyncNotices notices;
    private final SyncHosts hosts;
    private final CredentialService credentials;

    SyncRunner(SyncPages pages, SyncStates states, SyncedRecords records, UniversalMappings mappings,
               TransactionTemplate transactions, SyncProperties properties, SyncNotices notices, SyncHosts hosts,
               CredentialService credentials) {
        this.pages = pages;
        this.states = states;
        this.records = records;
        this.mappings = mappings;
        this.transactions = transactions;
        this.properties = properties;
        this.notices = notices;
        this.hosts = hosts;
        this.credentials = credentials;
    }

    /** How a run ended. */
    enum Outcome { COMPLETED, FAILED, RATE_LIMITED, PAUSED, LEASE_LOST, STOPPED }

    /**
     * Runs the claim in its tenant's scope, acting as a tenant-wide API client of the tenant named {@code sync}:
     * the Universal CRM engine and the proxy check who calls as they do for the API.
     */
    Outcome run(SyncStates.Claim claim) {
        return run(claim, () -> true);
    }

    /** As {@link #run(SyncStates.Claim)}, handing the run back after a page once {@code keepGoing} says no. */
    Outcome run(SyncStates.Claim claim, BooleanSupplier keepGoing) {
        var previous = SecurityContextHolder.getContext();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                new ApiPrincipal(claim.tenantId(), claim.tenantName(), claim.tenantClientId(), "tenant:" + ACTOR, null),
                null, List.of(new SimpleGrantedAuthority("ROLE_" + AppRoles.API_CLIENT))));
        SecurityContextHolder.setContext(context);
        try {
            return TenantScope.tenant(claim.tenantId(), () -> runScoped(claim, keepGoing));
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    private Outcome runScoped(SyncStates.Claim claim, BooleanSupplier keepGoing) {
        if (!claim.credentialStatus().equals("ACTIVE")) {
            states.pauseForCredential(claim, claim.credentialStatus().equals("REVOKED")
                    ? "The credential is revoked; its synced records are deleted once the retention period has passed."
                    : "The credential is " + claim.credentialStatus().toLowerCase(Locale.ROOT).replace('_', ' ')
                            + "; the sync resumes once it is reconnected.");
            return Outcome.PAUSED;
        }
        noteHost(claim);
        boolean fullPass = claim.passFull() != null ? claim.passFull() : readsEverything(claim);
        @Nullable Instant since = fullPass ? null : Objects.requireNonNull(claim.highWaterMark()).minus(properties.overlap());
        var caller = new UniversalCrm.Caller(claim.tenantId(), claim.credentialId(), ACTOR);
        @Nullable String cursor = claim.cursor();
        try {
            while (true) {
                var page = pages.fetch(caller, claim.model(), cursor, since, properties.pageSize());
                Boolean saved = transactions.execute(tx -> save(claim, page, fullPass));
                if (!Boolean.TRUE.equals(saved)) {
                    log.warn("Sync of {} {} lost its lease; another worker carries on", claim.credentialId(),
                            claim.model().key());
                    return Outcome.LEASE_LOST;
                }
                if (page.nextCursor() == null) {
                    return Outcome.COMPLETED;
                }
                if (!keepGoing.getAsBoolean()) {
                    // This instance is stopping: any worker carries on from the checkpoint just saved, at once.
                    states.release(claim);
                    return Outcome.STOPPED;
                }
                cursor = page.nextCursor();
            }
        } catch (UniversalException e) {
            if (e.status() == 429) {
                Long seconds = e.retryAfterSeconds();
                // At least a second, so a CRM answering Retry-After: 0 is not asked again in a tight loop.
                states.rateLimited(claim, seconds == null ? properties.rateLimitWait()
                        : Duration.ofSeconds(Math.max(1, seconds)));
                return Outcome.RATE_LIMITED;
            }
            log.warn("Sync of {} {} failed: {}", claim.credentialId(), claim.model().key(), e.getMessage());
            // A checkpoint sealed under a master key since retired cannot be opened: the pass starts over.
            failed(claim, e.getMessage(), e.type().equals("invalid-cursor"));
            return Outcome.FAILED;
        } catch (ProxyBusyException e) {
            // This instance's own limits on calls per tenant or per provider host are full: try again shortly.
            states.rateLimited(claim, Duration.ofSeconds(Math.max(1, e.retryAfterSeconds())));
            return Outcome.RATE_LIMITED;
        } catch (ProxyException e) {
            if (e.status() == 409) {
                // Revoked, expired or needing reconnect since the run was claimed.
                states.pauseForCredential(claim, e.getMessage());
                return Outcome.PAUSED;
            }
            log.warn("Sync of {} {} failed: {}", claim.credentialId(), claim.model().key(), e.getMessage());
            failed(claim, e.getMessage(), false);
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            log.warn("Sync of {} {} failed: {}", claim.credentialId(), claim.model().key(), e.toString());
            failed(claim, "The sync failed (" + e.getClass().getSimpleName() + ")", false);
            return Outcome.FAILED;
        }
    }

    /**
     * Where this run calls, for the per-host limit of the next claims: an API address given by a token response
     * may have changed since the sync was configured. Never a reason for the run to fail.
     */
    private void noteHost(SyncStates.Claim claim) {
        try {
            String host = hosts.of(claim.tenantId(), credentials.get(claim.tenantId(), claim.credentialId()));
            if (host != null) {
                states.noteHost(claim, host);
            }
        } catch (RuntimeException e) {
            log.debug("Sync of {} {}: API host not noted: {}", claim.credentialId(), claim.model().key(), e.toString());
        }
    }

    /**
     * Whether a pass starting now reads the whole model: a backfill, a model whose list cannot ask for what changed
     * since a time, and a reconciliation once {@code reconcile-every} has passed since the last full pass (the only
     * way to notice deletions). Otherwise it asks for what changed since the previous pass began, less the overlap.
     */
    private boolean readsEverything(SyncStates.Claim claim) {
        if (claim.backfill() || claim.highWaterMark() == null || claim.lastFullPassAt() == null) {
            return true;
        }
        if (!Boolean.TRUE.equals(mappings.listable(claim.appKey()).get(claim.model().key()))) {
            return true;
        }
        return !claim.lastFullPassAt().plus(properties.reconcileEvery()).isAfter(claim.passStartedAt());
    }

    /** One page and its checkpoint; at the end of a full pass, what it did not see is marked deleted. */
    private boolean save(SyncStates.Claim claim, SyncPages.Page page, boolean fullPass) {
        if (!states.hold(claim)) {
            return false;
        }
        var changes = records.upsert(claim.model(), claim.tenantId(), claim.credentialId(), page.rows());
        if (page.nextCursor() != null) {
            states.checkpoint(claim, page.nextCursor(), fullPass, changes.added(), properties.lease());
            notices.recordsChanged(claim, changes.created(), changes.updated(), List.of());
            return true;
        }
        List<String> deleted = List.of();
        int failures;
        if (fullPass) {
            deleted = records.markUnseen(claim.model(), claim.credentialId(), claim.passStartedAt());
            // Counted again after a full pass, which is when records are marked deleted; an incremental pass only
            // adds to the count (a count of millions of rows every few minutes would be wasted work).
            failures = states.complete(claim, true, records.live(claim.model(), claim.credentialId()), 0);
        } else {
            failures = states.complete(claim, false, null, changes.added());
        }
        // Reported with the page and its checkpoint, in their transaction: a run resumed from a checkpoint reports
        // exactly the pages not reported yet.
        notices.recordsChanged(claim, changes.created(), changes.updated(), deleted);
        if (failures > 0) {
            notices.recovered(claim, failures);
        }
        return true;
    }

    /**
     * Records the failure and, for the first of a streak only, reports it in the same transaction: retries that
     * fail again stay quiet until a run completes ({@code sync.recovered}).
     */
    private void failed(SyncStates.Claim claim, String error, boolean restartPass) {
        transactions.executeWithoutResult(tx -> {
            if (states.failed(claim, error, restartPass, properties) == 1) {
                notices.failed(claim, error);
            }
        });
    }
}
