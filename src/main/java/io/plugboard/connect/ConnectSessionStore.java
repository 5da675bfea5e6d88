package io.plugboard.connect;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** SQL for connect sessions and OAuth states. Lookups by id always take the tenant. */
@Repository
class ConnectSessionStore {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Map<String, String>>> PREFILL = new TypeReference<>() { };
    private static final TypeReference<Map<String, Map<String, Object>>> METADATA = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    /** {@code browserBinding}: SHA-256 of the cookie value the starting browser holds; null for older states. */
    record OAuthState(String sessionId, UUID tenantId, String appKey, byte @Nullable [] codeVerifier,
                      Map<String, Object> metadata, Map<String, String> config, Instant expiresAt,
                      @Nullable String browserBinding) {
    }

    private final JdbcTemplate jdbc;

    ConnectSessionStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void insert(ConnectSession s, String tokenHash, String createdBy) {
        jdbc.update("""
                INSERT INTO connect_sessions (id, tenant_id, end_user_id, end_user_email, end_user_name,
                    allowed_connectors, prefill, metadata, redirect_url, reconnect_credential_id, token_hash,
                    expires_at, status, created_at, created_by, locale)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, 'PENDING', ?, ?, ?)""",
                s.id(), s.tenantId(), s.endUserId(), s.endUserEmail(), s.endUserName(),
                s.allowedConnectors() == null ? null : String.join(" ", s.allowedConnectors()),
                JSON.writeValueAsString(s.prefill()), JSON.writeValueAsString(s.metadata()), s.redirectUrl(),
                s.reconnectCredentialId(), tokenHash, utc(s.expiresAt()), utc(s.createdAt()), createdBy,
                s.locale());
    }

    Optional<ConnectSession> find(UUID tenantId, String id) {
        return jdbc.query("SELECT * FROM connect_sessions WHERE tenant_id = ? AND id = ?", ConnectSessionStore::map,
                tenantId, id).stream().findFirst();
    }

    Optional<ConnectSession> findByTokenHash(String tokenHash) {
        return jdbc.query("SELECT * FROM connect_sessions WHERE token_hash = ?", ConnectSessionStore::map, tokenHash)
                .stream().findFirst();
    }

    /** Only the connect page's own follow-up steps use this, after the token has been checked once. */
    Optional<ConnectSession> findById(String id) {
        return jdbc.query("SELECT * FROM connect_sessions WHERE id = ?", ConnectSessionStore::map, id).stream().findFirst();
    }

    int replaceToken(UUID tenantId, String id, String tokenHash, Instant expiresAt) {
        return jdbc.update("UPDATE connect_sessions SET token_hash = ?, expires_at = ? "
                + "WHERE tenant_id = ? AND id = ? AND status <> 'CANCELLED'", tokenHash, utc(expiresAt), tenantId, id);
    }

    int cancel(UUID tenantId, String id) {
        return jdbc.update("UPDATE connect_sessions SET status = 'CANCELLED' WHERE tenant_id = ? AND id = ? "
                + "AND status <> 'CANCELLED'", tenantId, id);
    }

    /**
     * Locks the session row until the transaction ends and returns its status: two tabs finishing at once
     * queue here, and the second finds the session completed.
     */
    Optional<ConnectSession.Status> lockStatus(String id) {
        return jdbc.queryForList("SELECT status FROM connect_sessions WHERE id = ? FOR UPDATE", String.class, id)
                .stream().findFirst().map(ConnectSession.Status::valueOf);
    }

    /**
     * A pending session completes once, with the one credential it connected: credential_ids never holds
     * more than one id. Returns 0 when the session was no longer pending.
     */
    int completed(String id, String credentialId, Instant now) {
        return jdbc.update("""
                UPDATE connect_sessions SET status = 'COMPLETED', completed_at = ?, credential_ids = ?
                WHERE id = ? AND status = 'PENDING'""",
                utc(now), credentialId, id);
    }

    void insertState(String stateHash, OAuthState state, Instant now) {
        jdbc.update("""
                INSERT INTO oauth_states (state_hash, session_id, tenant_id, app_key, code_verifier, metadata, config,
                    created_at, expires_at, browser_binding) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)""",
                stateHash, state.sessionId(), state.tenantId(), state.appKey(), state.codeVerifier(),
                JSON.writeValueAsString(state.metadata()), JSON.writeValueAsString(state.config()), utc(now),
                utc(state.expiresAt()), state.browserBinding());
    }

    /**
     * Marks the state used and returns it, exactly once; a second use finds nothing. Used before anything
     * else is checked, so a refused callback burns its state too.
     */
    Optional<OAuthState> consumeState(String stateHash, Instant now) {
        return jdbc.query("""
                UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND used_at IS NULL
                RETURNING session_id, tenant_id, app_key, code_verifier, metadata, config, expires_at, browser_binding""",
                (rs, n) -> new OAuthState(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getBytes(4),
                        JSON.readValue(rs.getString(5), OBJECT_MAP), JSON.readValue(rs.getString(6), STRING_MAP),
                        rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(8)),
                utc(now), stateHash).stream().findFirst();
    }

    private static ConnectSession map(ResultSet rs, int n) throws SQLException {
        String allowed = rs.getString("allowed_connectors");
        String credentials = rs.getString("credential_ids");
        OffsetDateTime completed = rs.getObject("completed_at", OffsetDateTime.class);
        return new ConnectSession(rs.getString("id"), rs.getObject("tenant_id", UUID.class), rs.getString("end_user_id"),
                rs.getString("end_user_email"), rs.getString("end_user_name"),
                allowed == null ? null : Arrays.asList(allowed.split(" ")),
                JSON.readValue(rs.getString("prefill"), PREFILL), JSON.readValue(rs.getString("metadata"), METADATA),
                rs.getString("redirect_url"), rs.getString("reconnect_credential_id"),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                ConnectSession.Status.valueOf(rs.getString("status")),
                credentials == null || credentials.isBlank() ? List.of() : Arrays.asList(credentials.split(" ")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), completed == null ? null : completed.toInstant(),
                rs.getString("locale"));
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
