package io.plugboard.proxy;

import io.plugboard.security.CurrentUser;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Reads the call log for the portal: the console's history of past runs, refused calls included. */
@Service
public class CallHistory {

    /**
     * One logged call.
     *
     * @param appKey  null when no credential of the tenant had the id (the call was refused)
     * @param problem the problem type when Plugboard refused or failed the call itself, else null
     */
    public record Call(Instant at, String credentialId, @Nullable String appKey, String method, String path, int status,
                       long latencyMs, long bytesOut, String actor, @Nullable String problem) {
    }

    private final JdbcTemplate jdbc;
    private final CurrentUser currentUser;
    private final CallLog callLog;

    CallHistory(DataSource dataSource, CurrentUser currentUser, CallLog callLog) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.currentUser = currentUser;
        this.callLog = callLog;
    }

    public record Stats(long calls, double errorRate, long p95Ms) {
    }

    /** Calls, share of errors (5xx or failures) and p95 latency over the last 24 hours. */
    @PreAuthorize("isAuthenticated()")
    public Stats last24Hours(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return jdbc.queryForObject("""
                SELECT count(*), COALESCE(avg(CASE WHEN status >= 500 OR status = 0 THEN 1.0 ELSE 0.0 END), 0),
                       COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), 0)
                FROM proxy_calls WHERE tenant_id = ? AND created_at >= now() - interval '24 hours'""",
                (rs, n) -> new Stats(rs.getLong(1), rs.getDouble(2), Math.round(rs.getDouble(3))), tenantId);
    }

    @PreAuthorize("isAuthenticated()")
    public List<Call> recentPortalCalls(UUID tenantId, int limit) {
        currentUser.requireTenant(tenantId);
        // The call log is written in batches; write what is queued so a run that just finished is listed.
        callLog.flush();
        return jdbc.query("""
                SELECT created_at, credential_id, app_key, method, path, status, latency_ms, bytes_out, actor, problem
                FROM proxy_calls WHERE tenant_id = ? AND source = 'PORTAL' ORDER BY created_at DESC LIMIT ?""",
                (rs, n) -> new Call(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getString(9),
                        rs.getString(10)),
                tenantId, limit);
    }
}
