package io.plugboard.dashboard;

import io.plugboard.credential.CredentialStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything the dashboard shows for one scope, read in one consistent snapshot.
 *
 * @param since                  start of the "last 24 hours" window: the clock hour (UTC) 24 hours before the
 *                               current one, so the window holds 24 whole hours and the current partial hour
 * @param credentialsByStatus    every status, zero included
 * @param credentialsPerConnector most credentials (not revoked) first
 * @param callsPerHour           one entry per clock hour (UTC), oldest first, the current hour last
 * @param refreshFailuresPerDay  one entry per day (UTC), oldest first, today last
 * @param tiles                  the dashboard's own tiles, then those of every {@link TileSource}
 */
public record DashboardOverview(DashboardScope scope, Instant now, Instant since,
                                Map<CredentialStatus, Long> credentialsByStatus,
                                List<ConnectorCredentials> credentialsPerConnector, Sessions sessions,
                                CallSummary calls, List<HourlyCalls> callsPerHour, long refreshFailures,
                                List<DailyCount> refreshFailuresPerDay, List<Tile> tiles) {

    public DashboardOverview withTiles(List<Tile> newTiles) {
        return new DashboardOverview(scope, now, since, credentialsByStatus, credentialsPerConnector, sessions, calls,
                callsPerHour, refreshFailures, refreshFailuresPerDay, List.copyOf(newTiles));
    }

    /** A connector's credentials by status; {@code name} is what the tenant calls it (custom connectors too). */
    public record ConnectorCredentials(String appKey, String name, long active, long needsReconnect, long expired,
                                       long revoked) {

        public long notRevoked() {
            return active + needsReconnect + expired;
        }
    }

    /** Connect sessions created in the window, and how many of those an end user completed. */
    public record Sessions(long started, long completed) {
    }

    /**
     * Proxied calls in the window by outcome: {@code ok} answered 1xx–3xx, {@code clientErrors} 4xx,
     * {@code errors} 5xx or no answer at all. {@code p95Ms} is estimated from the latency histogram
     * (see LatencyHistogram for its precision); empty without calls.
     */
    public record CallSummary(long calls, long ok, long clientErrors, long errors, OptionalLong p95Ms) {

        public double errorRate() {
            return calls == 0 ? 0 : (double) errors / calls;
        }

        public double clientErrorRate() {
            return calls == 0 ? 0 : (double) clientErrors / calls;
        }
    }

    public record HourlyCalls(Instant hour, long ok, long clientErrors, long errors) {

        public long total() {
            return ok + clientErrors + errors;
        }
    }

    public record DailyCount(LocalDate day, long count) {
    }
}
