package io.plugboard.sync;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sync to DB.
 *
 * @param workerEnabled   whether this instance runs syncs (off: its API still configures them for the others)
 * @param concurrency     runs in progress at once on this instance; due runs beyond them wait for a free slot
 * @param pollInterval    how often an idle worker looks for due runs ("run now" wakes it at once)
 * @param lease           how long a claimed run stays this worker's without progress: every page saved renews
 *                        it, so only a worker that died (or hangs longer than this on one page) loses its run
 * @param pageSize        records asked for per page (the CRM's own maximum caps it)
 * @param overlap         an incremental pass asks for records updated since the previous pass began less this,
 *                        so a change the CRM stamped slightly out of order is not missed
 * @param initialBackoff  wait after a failed run; doubled after each further failure
 * @param maxBackoff      the longest wait after failures
 * @param rateLimitWait   wait after a 429 that did not say how long to wait
 * @param reconcileEvery  a model synced incrementally is read whole again this long after its last full pass
 * @param maxRunsPerTenant runs in progress at once for one tenant, across all instances: one tenant's many syncs
 *                        do not take every worker's slots
 * @param maxRunsPerHost  runs in progress at once against one provider API host, across all instances and
 *                        tenants: a CRM is not asked by more syncs at once than it is likely to bear
 * @param retentionAfterRevocation how long a revoked credential's synced records and sync states are kept
 */
@ConfigurationProperties("plugboard.sync")
public record SyncProperties(boolean workerEnabled, int concurrency, Duration pollInterval, Duration lease,
                             int pageSize, Duration overlap, Duration initialBackoff, Duration maxBackoff,
                             Duration rateLimitWait, Duration reconcileEvery, int maxRunsPerTenant,
                             int maxRunsPerHost, Duration retentionAfterRevocation) {

    public SyncProperties {
        for (Duration positive : new Duration[] {pollInterval, lease, initialBackoff, maxBackoff, rateLimitWait,
                reconcileEvery}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("plugboard.sync durations must be positive");
            }
        }
        if (overlap.isNegative() || concurrency < 1 || pageSize < 1 || pageSize > 100 || maxRunsPerTenant < 1
                || maxRunsPerHost < 1 || retentionAfterRevocation.isNegative()) {
            throw new IllegalArgumentException("plugboard.sync: overlap and retention-after-revocation must not be "
                    + "negative, concurrency, max-runs-per-tenant and max-runs-per-host at least 1, page-size from 1 "
                    + "to 100");
        }
    }

    /** The wait after {@code failures} consecutive failed runs. */
    Duration backoff(int failures) {
        long factor = 1L << Math.min(Math.max(failures - 1, 0), 20);
        Duration wait = initialBackoff.multipliedBy(factor);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
