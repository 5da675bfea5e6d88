package io.plugboard.dashboard;

import io.plugboard.credential.CredentialStatus;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The dashboard's reads. Every statement is either bounded by the pre-aggregated tables (a row per tenant,
 * connector and status; a row per tenant and hour) or by an index range that holds only recent or flagged
 * rows. Each takes the tenant id, or reads all tenants only for {@link DashboardScope#allTenants()}.
 */
@Repository
class DashboardStore {


    private final JdbcTemplate jdbc;

    DashboardStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    record StatusCount(String appKey, CredentialStatus status, long count) {
    }

    /** Calls of one hour (UTC) by outcome, with the latency histogram; {@code buckets} as LatencyHistogram's. */
    record HourStats(Instant hour, long ok, long clientErrors, long errors, long[] buckets) {
    }

    record HourCount(Instant hour, long count) {
    }

    record CredentialRow(String id, String appKey, String endUserId, @Nullable String label, CredentialStatus status,
                         @Nullable Instant at, @Nullable String by) {
    }

    List<StatusCount> credentialCounts(DashboardScope scope) {
        String sql = scope.isAllTenants()
                ? "SELECT app_key, status, sum(n) FROM credential_counts GROUP BY 1, 2 HAVING sum(n) <> 0"
                : "SELECT app_key, status, n FROM credential_counts WHERE tenant_id = ? AND n <> 0";
        return jdbc.query(sql, (rs, i) -> new StatusCount(rs.getString(1), CredentialStatus.valueOf(rs.getString(2)),
                rs.getLong(3)), tenantArgs(scope));
    }

    /** Connect sessions created since {@code since}, and how many of them were completed. */
    long[] sessions(DashboardScope scope, Instant since) {
        String sql = "SELECT count(*), count(*) FILTER (WHERE status = 'COMPLETED') FROM connect_sessions WHERE "
                + (scope.isAllTenants() ? "" : "tenant_id = ? AND ") + "created_at >= ?";
        return jdbc.queryForObject(sql, (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
                args(scope, CallStatsRollup.utc(since)));
    }

    /** The id up to which the call log is rolled up; newer rows are read live. */
    long rolledUpTo() {
        Long id = jdbc.queryForObject("SELECT rolled_up_to FROM dashboard_rollups WHERE name = ?", Long.class,
                CallStatsRollup.NAME);
        return id == null ? 0 : id;
    }

    /** Rolled-up hours from {@code since} on. */
    List<HourStats> rolledUpCalls(DashboardScope scope, Instant since) {
        String sql = scope.isAllTenants()
                ? "SELECT hour, ok, client_errors, errors, latency_buckets FROM proxy_call_stats_hourly_all "
                        + "WHERE hour >= ? ORDER BY hour"
                : "SELECT hour, ok, client_errors, errors, latency_buckets FROM proxy_call_stats_hourly "
                        + "WHERE tenant_id = ? AND hour >= ? ORDER BY hour";
        return jdbc.query(sql, (rs, i) -> new HourStats(instant(rs, 1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                buckets(rs.getArray(5))), args(scope, CallStatsRollup.utc(since)));
    }

    /**
     * Calls not rolled up yet (id above the watermark) that started from {@code since} on, per hour. Read by id
     * first: these are the last minutes' rows, whatever the tenant's volume.
     */
    List<HourStats> liveCalls(DashboardScope scope, long afterId, Instant since) {
        String sql = "SELECT date_trunc('hour', created_at, 'UTC'), " + LatencyHistogram.sqlBucket("latency_ms") + ", "
                + "count(*) FILTER (WHERE status BETWEEN 100 AND 399), "
                + "count(*) FILTER (WHERE status BETWEEN 400 AND 499), "
                + "count(*) FILTER (WHERE status NOT BETWEEN 100 AND 499) "
                + "FROM proxy_calls WHERE id > ? AND created_at >= ?" + (scope.isAllTenants() ? "" : " AND tenant_id = ?")
                + " GROUP BY 1, 2";
        List<Object> args = new ArrayList<>(List.of(afterId, CallStatsRollup.utc(since)));
        if (!scope.isAllTenants()) {
            args.add(scope.tenantId());
        }
        return jdbc.query(sql, (rs, i) -> {
            long ok = rs.getLong(3);
            long clientErrors = rs.getLong(4);
            long errors = rs.getLong(5);
            long[] buckets = new long[LatencyHistogram.buckets()];
            buckets[Math.max(0, rs.getInt(2) - 1)] = ok + clientErrors + errors;
            return new HourStats(instant(rs, 1), ok, clientErrors, errors, buckets);
        }, args.toArray());
    }

    /** Credentials that went into REFRESH_FAILED, per hour, from {@code since} on. */
    List<HourCount> refreshFailures(DashboardScope scope, Instant since) {
        String sql = scope.isAllTenants()
                ? "SELECT hour, sum(n) FROM credential_refresh_failures_hourly WHERE hour >= ? GROUP BY hour"
                : "SELECT hour, n FROM credential_refresh_failures_hourly WHERE tenant_id = ? AND hour >= ?";
        return jdbc.query(sql, (rs, i) -> new HourCount(instant(rs, 1), rs.getLong(2)),
                args(scope, CallStatsRollup.utc(since)));
    }

    /**
     * Both kinds, newest first: refused refreshes by when the refresh was refused (their partial index), credentials
     * stranded by a destination change by when that happened (the status change is their last update; found through
     * the tenant-and-status index, and few: they are reconnected or revoked).
     */
    List<CredentialRow> needingReconnect(UUID tenantId, int limit) {
        return jdbc.query("""
                SELECT * FROM (
                    (SELECT c.id, c.app_key, e.external_id, c.label, c.refresh_failed_at AS at, NULL, c.status
                    FROM credentials c JOIN end_users e ON e.id = c.end_user_id
                    WHERE c.tenant_id = ? AND c.status = 'REFRESH_FAILED'
                    ORDER BY c.refresh_failed_at DESC NULLS LAST LIMIT ?)
                    UNION ALL
                    (SELECT c.id, c.app_key, e.external_id, c.label, c.updated_at AS at, NULL, c.status
                    FROM credentials c JOIN end_users e ON e.id = c.end_user_id
                    WHERE c.tenant_id = ? AND c.status = 'NEEDS_RECONNECT'
                    ORDER BY c.updated_at DESC LIMIT ?)) needing
                ORDER BY at DESC NULLS LAST LIMIT ?""", DashboardStore::credentialRow, tenantId, limit, tenantId, limit,
                limit);
    }

    List<CredentialRow> recentlyRevoked(UUID tenantId, int limit) {
        return jdbc.query("""
                SELECT c.id, c.app_key, e.external_id, c.label, c.revoked_at, c.revoked_by, c.status
                FROM credentials c JOIN end_users e ON e.id = c.end_user_id
                WHERE c.tenant_id = ? AND c.status = 'REVOKED'
                ORDER BY c.revoked_at DESC NULLS LAST LIMIT ?""", DashboardStore::credentialRow, tenantId, limit);
    }

    private static CredentialRow credentialRow(ResultSet rs, int row) throws SQLException {
        OffsetDateTime at = rs.getObject(5, OffsetDateTime.class);
        return new CredentialRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                CredentialStatus.valueOf(rs.getString(7)), at == null ? null : at.toInstant(), rs.getString(6));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static long[] buckets(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        long[] buckets = new long[LatencyHistogram.buckets()];
        for (int i = 0; i < Math.min(values.length, buckets.length); i++) {
            buckets[i] = values[i] == null ? 0 : ((Number) values[i]).longValue();
        }
        return buckets;
    }

    private static Object[] tenantArgs(DashboardScope scope) {
        return scope.isAllTenants() ? new Object[0] : new Object[] {scope.tenantId()};
    }

    private static Object[] args(DashboardScope scope, Object... rest) {
        List<Object> args = new ArrayList<>();
        if (!scope.isAllTenants()) {
            args.add(scope.tenantId());
        }
        args.addAll(List.of(rest));
        return args.toArray();
    }
}
