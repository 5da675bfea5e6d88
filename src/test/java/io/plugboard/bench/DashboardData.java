package io.plugboard.bench;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dashboard benchmark's data on top of {@link MillionCredentials}: 10,000,000 call-log rows over the last 30
 * days (the default call-log retention), 90% in the benchmark tenant and 10% spread over nine others;
 * 300,000 connect sessions over 30 days; an hourly history of refresh failures; failure and revocation times on
 * the credentials that lack them. Set-based SQL (generate_series), deterministic per row except for the times,
 * which follow the clock: a data set older than six hours is generated again, so the last 24 hours and 7 days
 * are full.
 */
final class DashboardData {

    static final int CALLS = 10_000_000;
    static final int SESSIONS = 300_000;
    static final int CHUNK = 1_000_000;
    static final String MARK = "req_bench";

    private static final Logger log = LoggerFactory.getLogger(DashboardData.class);

    private DashboardData() {
    }

    /** Makes sure the data is there and recent; returns how long generating it took (0 if it was there). */
    static long ensure(JdbcTemplate jdbc, UUID tenantId) {
        Boolean fresh = jdbc.queryForObject("""
                SELECT count(*) = ? AND max(created_at) > now() - interval '6 hours'
                FROM proxy_calls WHERE request_id = ?""", Boolean.class, CALLS, MARK);
        if (Boolean.TRUE.equals(fresh)) {
            log.info("Dashboard benchmark data present");
            return 0;
        }
        long start = System.nanoTime();
        log.info("Generating dashboard benchmark data: {} calls, {} connect sessions", CALLS, SESSIONS);
        // Old statistics would count calls that are about to be deleted: start the roll-up afresh.
        jdbc.update("DELETE FROM proxy_calls WHERE request_id = ?", MARK);
        jdbc.update("DELETE FROM proxy_call_stats_hourly");
        jdbc.update("DELETE FROM proxy_call_stats_hourly_all");
        for (int from = 1; from <= CALLS; from += CHUNK) {
            int to = Math.min(CALLS, from + CHUNK - 1);
            long chunkStart = System.nanoTime();
            insertCalls(jdbc, tenantId, from, to);
            log.info("  calls {}..{} in {} ms", from, to, (System.nanoTime() - chunkStart) / 1_000_000);
        }
        jdbc.update("UPDATE dashboard_rollups SET rolled_up_to = (SELECT COALESCE(min(id), 1) - 1 FROM proxy_calls), "
                + "next_to = 0 WHERE name = 'proxy_calls'");

        jdbc.update("DELETE FROM connect_sessions WHERE id LIKE 'cs_bench_%'");
        jdbc.update("""
                INSERT INTO connect_sessions (id, tenant_id, end_user_id, token_hash, expires_at, status, created_at,
                                              created_by, completed_at)
                SELECT 'cs_bench_' || n, ?, 'user-' || lpad((1 + n % 100000)::text, 6, '0'),
                       md5('bench-session-' || n) || md5('bench-session-token-' || n),
                       t + interval '30 minutes', CASE WHEN n % 10 < 7 THEN 'COMPLETED' ELSE 'PENDING' END, t,
                       'tenant:bench', CASE WHEN n % 10 < 7 THEN t + interval '2 minutes' END
                FROM (SELECT n, now() - interval '30 days' + (n::float8 / ?) * interval '30 days' AS t
                      FROM generate_series(1, ?) n) s""", tenantId, SESSIONS, SESSIONS);

        // About 1,000 credentials a day newly needing a reconnect, in every hour of the last 30 days.
        jdbc.update("""
                INSERT INTO credential_refresh_failures_hourly (tenant_id, hour, n)
                SELECT ?, h, 20 + (extract(epoch FROM h)::bigint / 3600) % 45
                FROM generate_series(date_trunc('hour', now(), 'UTC') - interval '30 days',
                                     date_trunc('hour', now(), 'UTC'), interval '1 hour') h
                ON CONFLICT (tenant_id, hour) DO UPDATE SET n = EXCLUDED.n""", tenantId);
        // The generated credentials have a status but not its time (the refresher and revoke set both).
        jdbc.update("""
                UPDATE credentials SET refresh_failed_at = updated_at
                WHERE tenant_id = ? AND status = 'REFRESH_FAILED' AND refresh_failed_at IS NULL""", tenantId);
        jdbc.execute("VACUUM (ANALYZE) proxy_calls");
        jdbc.execute("VACUUM (ANALYZE) connect_sessions");
        jdbc.execute("VACUUM (ANALYZE) credentials");
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("Dashboard benchmark data generated in {} ms", millis);
        return millis;
    }

    /**
     * Per row: 90% the benchmark tenant, 10% one of nine others; 50 connectors; status 90% 200, 5% 404, 2% 429,
     * 2% 502, 1% no answer (0); latency log-normal around 90 ms (5% above ~330 ms); times evenly over 30 days in
     * insertion order, as the call log is written.
     */
    private static void insertCalls(JdbcTemplate jdbc, UUID tenantId, int from, int to) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            try (Statement seed = con.createStatement()) {
                seed.execute("SELECT setseed(" + (double) from / (CALLS + 1) + ")");
            }
            try (PreparedStatement ps = con.prepareStatement("""
                    INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                                             bytes_out, retries, source, actor, request_id, created_at)
                    SELECT CASE WHEN n % 10 = 0 THEN md5('bench-tenant-' || (n / 10 % 9))::uuid ELSE ?::uuid END,
                           'cred_bench_' || (n % 50000), (?::text[])[1 + n % 50],
                           CASE WHEN n % 5 = 0 THEN 'POST' ELSE 'GET' END, '/v1/items', 
                           CASE WHEN r < 0.90 THEN 200 WHEN r < 0.95 THEN 404 WHEN r < 0.97 THEN 429
                                WHEN r < 0.99 THEN 502 ELSE 0 END,
                           least(600000, round(exp(4.5 + 0.8 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2))))::int,
                           0, 200 + n % 5000, 0, 'API', 'tenant:bench', ?,
                           now() - interval '30 days' + (n::float8 / ?) * interval '30 days'
                    FROM (SELECT n, random() AS r, random() AS u1, random() AS u2
                          FROM generate_series(?::int, ?::int) n) s
                    ORDER BY n""")) {
                Array connectors = con.createArrayOf("text", MillionCredentials.CONNECTORS.toArray());
                ps.setObject(1, tenantId);
                ps.setArray(2, connectors);
                ps.setString(3, MARK);
                ps.setInt(4, CALLS);
                ps.setInt(5, from);
                ps.setInt(6, to);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
