package io.plugboard.sync;

import java.time.Duration;

/**
 * How the syncs of a tenant (or of all tenants) stand, for the dashboard.
 *
 * @param models            (credential, model) pairs synced
 * @param failing           of them, those whose last run failed and that are retried with backoff
 * @param pausedCredential  of them, those paused because their credential was revoked or needs reconnecting
 * @param overdue           of them, those due for longer than the dashboard's threshold with no worker on them
 * @param longestWait       how long the longest-waiting due run has waited (zero when none is due)
 */
public record SyncHealth(long models, long failing, long pausedCredential, long overdue, Duration longestWait) {
}
