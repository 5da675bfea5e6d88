package io.plugboard.dashboard;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes dashboard data straight into the tables, the way the features would leave it: an end user and
 * credentials in any status, connect sessions, call-log rows. Each call is one row, so tests can say exactly
 * what they expect to be counted.
 */
public final class DashboardFixture {

    private final JdbcTemplate jdbc;
    private final UUID tenantId;
    private final UUID endUserId = UUID.randomUUID();
    private final String endUserExternalId;

    public DashboardFixture(JdbcTemplate jdbc, UUID tenantId) {
        this.jdbc = jdbc;
        this.tenantId = tenantId;
        this.endUserExternalId = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO end_users (id, tenant_id, external_id, created_at) VALUES (?, ?, ?, now())",
                endUserId, tenantId, endUserExternalId);
    }

    public String endUserExternalId() {
        return endUserExternalId;
    }

    /** An active credential of {@code appKey}; returns its id. */
    public String credential(String appKey, @Nullable String label) {
        String id = "cred_dash" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        jdbc.update("""
                INSERT INTO credentials (id, tenant_id, app_key, end_user_id, label, status, secret, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'ACTIVE', '\\x00'::bytea, now(), now())""", id, tenantId, appKey, endUserId, label);
        return id;
    }

    /**
     * The provider refused a refresh at {@code at}: the status change the token refresher makes. Its background
     * retry is put off by a day, or the refresh job would pick up these placeholder secrets mid-test and strand them.
     */
    public void refreshFailed(String credentialId, Instant at) {
        jdbc.update("UPDATE credentials SET status = 'REFRESH_FAILED', refresh_failed_at = ?, updated_at = ?, "
                + "refresh_retry_at = now() + interval '1 day' WHERE id = ?", utc(at), utc(at), credentialId);
    }

    /** Stranded by a change of its connector's destination at {@code at}: the change the destination guard makes. */
    public void needsReconnect(String credentialId, String reason, Instant at) {
        jdbc.update("UPDATE credentials SET status = 'NEEDS_RECONNECT', reconnect_reason = ?, updated_at = ? "
                + "WHERE id = ?", reason, utc(at), credentialId);
    }

    public void recovered(String credentialId) {
        jdbc.update("UPDATE credentials SET status = 'ACTIVE', refresh_failed_at = NULL, updated_at = now() WHERE id = ?",
                credentialId);
    }

    public void revoked(String credentialId, Instant at, String by) {
        jdbc.update("UPDATE credentials SET status = 'REVOKED', secret = NULL, revoked_at = ?, revoked_by = ?, "
                + "updated_at = ? WHERE id = ?", utc(at), by, utc(at), credentialId);
    }

    public void expired(String credentialId) {
        jdbc.update("UPDATE credentials SET status = 'EXPIRED', updated_at = now() WHERE id = ?", credentialId);
    }

    public void session(Instant createdAt, boolean completed) {
        String id = "cs_dash" + UUID.randomUUID().toString().replace("-", "");
        jdbc.update("""
                INSERT INTO connect_sessions (id, tenant_id, end_user_id, token_hash, expires_at, status, created_at,
                                              created_by, completed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'test', ?)""", id, tenantId, endUserExternalId,
                UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""),
                utc(createdAt.plusSeconds(1800)), completed ? "COMPLETED" : "PENDING", utc(createdAt),
                completed ? utc(createdAt.plusSeconds(60)) : null);
    }

    /** One call-log row; returns its id. */
    public long call(Instant at, int status, int latencyMs) {
        Long id = jdbc.queryForObject("""
                INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                                         bytes_out, retries, source, actor, request_id, created_at)
                VALUES (?, 'cred_dash_calls', 'roller', 'GET', '/x', ?, ?, 0, 0, 0, 'API', 'test', 'req_dash', ?)
                RETURNING id""", Long.class, tenantId, status, latencyMs, utc(at));
        return id == null ? 0 : id;
    }

    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
