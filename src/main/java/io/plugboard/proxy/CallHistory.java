package io.plugboard.proxy;

import io.plugboard.security.CurrentUser;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Reads the call log for the portal: the console's history of past runs. */
@Service
public class CallHistory {

    public record Call(Instant at, String credentialId, String appKey, String method, String path, int status,
                       long latencyMs, long bytesOut, String actor) {
    }

    private final JdbcTemplate jdbc;
    private final CurrentUser currentUser;
    private final CallLog callLog;

    CallHistory(DataSource dataSource, CurrentUser currentUser, CallLog callLog) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.currentUser = currentUser;
        this.callLog = callLog;
    }

    @PreAuthorize("isAuthenticated()")
    public List<Call> recentPortalCalls(UUID tenantId, int limit) {
        currentUser.requireTenant(tenantId);
        // The call log is written in batches; write what is queued so a run that just finished is listed.
        callLog.flush();
        return jdbc.query("""
                SELECT created_at, credential_id, app_key, method, path, status, latency_ms, bytes_out, actor
                FROM proxy_calls WHERE tenant_id = ? AND source = 'PORTAL' ORDER BY created_at DESC LIMIT ?""",
                (rs, n) -> new Call(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getString(9)),
                tenantId, limit);
    }
}
