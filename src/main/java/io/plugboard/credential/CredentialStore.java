package io.plugboard.credential;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlProvider;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL for credentials and end users. Every statement takes the tenant. Pages are cut from an index-only
 * subquery first and joined afterwards; the grid's pages start from a row it has seen where they can
 * ({@link GridBookmarks}), the API's from its cursor.
 */
@Repository
class CredentialStore {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    /** Up to this many end users matching a search are listed in the statement (see {@link #where}). */
    static final int SEARCH_INLINE_END_USERS = 10_000;

    private static final String COLUMNS = """
            c.id, c.app_key, c.label, c.status, c.metadata, c.config, c.scopes, c.expires_at, c.created_at,
            c.updated_at, c.last_refreshed_at, c.last_used_at, c.revoked_at, c.revoked_by, c.last_check_status,
            c.last_check_at,
            e.external_id, e.email, e.display_name,
            r.status AS pr_status, r.attempts AS pr_attempts, r.last_attempt_at AS pr_last_attempt_at,
            r.last_error AS pr_last_error, r.next_attempt_at AS pr_next_attempt_at""";
    /** Joined after {@link #COLUMNS}' tables: only a revoked credential has a provider revocation. */
    private static final String PROVIDER_REVOCATION =
            " LEFT JOIN provider_revocations r ON r.credential_id = c.id AND r.tenant_id = c.tenant_id";

    /** {@code destination}: the fingerprint the secret was sealed for (null: sealed before binding, or revoked). */
    record SecretRow(String id, String appKey, UUID endUserId, String endUserExternalId, CredentialStatus status,
                     byte @Nullable [] secret, Map<String, String> config, @Nullable String destination) {
    }

    private final JdbcTemplate jdbc;

    CredentialStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    // ---- end users

    UUID upsertEndUser(UUID tenantId, String externalId, @Nullable String email, @Nullable String displayName,
                       Instant now) {
        return jdbc.queryForObject("""
                INSERT INTO end_users (id, tenant_id, external_id, email, display_name, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, external_id) DO UPDATE SET
                    email = COALESCE(EXCLUDED.email, end_users.email),
                    display_name = COALESCE(EXCLUDED.display_name, end_users.display_name)
                RETURNING id""", UUID.class, UUID.randomUUID(), tenantId, externalId, email, displayName, utc(now));
    }

    Optional<UUID> endUserId(UUID tenantId, String externalId) {
        return jdbc.queryForList("SELECT id FROM end_users WHERE tenant_id = ? AND external_id = ?", UUID.class,
                tenantId, externalId).stream().findFirst();
    }

    List<EndUserView> endUsers(UUID tenantId, @Nullable String after, int limit) {
        return jdbc.query("""
                SELECT e.external_id, e.email, e.display_name, e.created_at,
                       (SELECT count(*) FROM credentials c WHERE c.tenant_id = e.tenant_id AND c.end_user_id = e.id
                            AND c.status <> 'REVOKED') AS credentials
                FROM end_users e WHERE e.tenant_id = ? AND (?::text IS NULL OR e.external_id > ?)
                ORDER BY e.external_id LIMIT ?""",
                (rs, n) -> new EndUserView(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getLong(5)),
                tenantId, after, after, limit);
    }

    Optional<EndUserView> endUser(UUID tenantId, String externalId) {
        return jdbc.query("""
                SELECT e.external_id, e.email, e.display_name, e.created_at,
                       (SELECT count(*) FROM credentials c WHERE c.tenant_id = e.tenant_id AND c.end_user_id = e.id
                            AND c.status <> 'REVOKED') AS credentials
                FROM end_users e WHERE e.tenant_id = ? AND e.external_id = ?""",
                (rs, n) -> new EndUserView(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getLong(5)),
                tenantId, externalId).stream().findFirst();
    }

    // ---- credentials

    void insert(UUID tenantId, String id, String appKey, UUID endUserId, @Nullable String label, byte[] secret,
                String destination, Map<String, Object> metadata, Map<String, String> config, List<String> scopes,
                @Nullable Instant expiresAt, Instant now) {
        jdbc.update("""
                INSERT INTO credentials (id, tenant_id, app_key, end_user_id, label, status, secret, destination,
                    metadata, config, scopes, expires_at, created_at, updated_at, last_refreshed_at)
                VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)""",
                id, tenantId, appKey, endUserId, label, secret, destination, JSON.writeValueAsString(metadata),
                JSON.writeValueAsString(config), String.join(" ", scopes), utc(expiresAt), utc(now), utc(now),
                expiresAt == null ? null : utc(now));
    }

    Optional<CredentialView> find(UUID tenantId, String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM credentials c JOIN end_users e ON e.id = c.end_user_id "
                + PROVIDER_REVOCATION + " WHERE c.tenant_id = ? AND c.id = ?", CredentialStore::view, tenantId, id).stream().findFirst();
    }

    /** The credentials of these ids, in one statement; ids of no credential of the tenant are left out. */
    List<CredentialView> findAll(UUID tenantId, Collection<String> ids) {
        return jdbc.query("SELECT " + COLUMNS + " FROM credentials c JOIN end_users e ON e.id = c.end_user_id "
                + PROVIDER_REVOCATION + " WHERE c.tenant_id = ? AND c.id = ANY (?)", CredentialStore::view, tenantId,
                ids.toArray(String[]::new));
    }

    Optional<SecretRow> secretRow(UUID tenantId, String id) {
        return jdbc.query("""
                SELECT c.id, c.app_key, c.end_user_id, e.external_id, c.status, c.secret, c.config, c.destination
                FROM credentials c JOIN end_users e ON e.id = c.end_user_id WHERE c.tenant_id = ? AND c.id = ?""",
                CredentialStore::secretRow, tenantId, id).stream().findFirst();
    }

    /**
     * What a proxy call needs to know on every call, in one statement: the credential's status, its sealed
     * secret and settings, its end user, whether its tenant is active, and a digest of its custom connector's
     * definition (null for a built-in one). The sealed bytes change with every refresh, reconnect, revoke and
     * re-encryption, so comparing them tells whether a copy opened earlier is still the current one.
     */
    Optional<UsableRow> usable(UUID tenantId, String id) {
        return jdbc.query("""
                SELECT c.app_key, c.status, c.secret, c.config, e.external_id, t.status, md5(cc.definition),
                       c.destination
                FROM credentials c
                JOIN end_users e ON e.id = c.end_user_id
                JOIN tenants t ON t.id = c.tenant_id
                LEFT JOIN custom_connectors cc ON cc.tenant_id = c.tenant_id AND cc.app_key = c.app_key
                WHERE c.tenant_id = ? AND c.id = ?""",
                (rs, n) -> new UsableRow(rs.getString(1), CredentialStatus.valueOf(rs.getString(2)), rs.getBytes(3),
                        rs.getString(4), rs.getString(5), "ACTIVE".equals(rs.getString(6)), rs.getString(7),
                        rs.getString(8)),
                tenantId, id).stream().findFirst();
    }

    record UsableRow(String appKey, CredentialStatus status, byte @Nullable [] secret, String configJson,
                     String endUserExternalId, boolean tenantActive, @Nullable String definitionDigest,
                     @Nullable String destination) {

        Map<String, String> config() {
            return JSON.readValue(configJson, STRING_MAP);
        }
    }

    /**
     * One page for the portal grid, in the grid's order (newest first, or oldest first by {@code ascending}):
     * {@code limit} rows after skipping {@code skip}, counted from the top of the order or, given a row to start
     * from, from just past that row: toward the end of the order, or toward its top when {@code backward} (the
     * page above a known row). Only the ids are cut out first, by an index-only scan of the sort key (even a
     * large skip steps over index entries only); the 50 rows are joined afterwards.
     */
    List<CredentialView> page(UUID tenantId, CredentialFilter filter, boolean ascending, @Nullable Cursor from,
                              boolean backward, int skip, int limit) {
        var where = where(tenantId, filter);
        String sql = where.sql;
        boolean walkAscending = ascending != backward;
        if (from != null) {
            // A row comparison on the index's trailing columns: the scan starts at the row, it does not filter up to it.
            sql += walkAscending ? " AND (c.created_at, c.id) > (?, ?)" : " AND (c.created_at, c.id) < (?, ?)";
            where.args.add(utc(from.createdAt()));
            where.args.add(from.id());
        }
        String walk = walkAscending ? "c.created_at ASC, c.id ASC" : "c.created_at DESC, c.id DESC";
        String order = ascending ? "c.created_at ASC, c.id ASC" : "c.created_at DESC, c.id DESC";
        where.args.add(limit);
        where.args.add(skip);
        return customPlanned("WITH page AS (SELECT c.id FROM credentials c" + sql + " ORDER BY " + walk
                        + " LIMIT ? OFFSET ?) SELECT " + COLUMNS + " FROM page p JOIN credentials c ON c.id = p.id "
                        + "JOIN end_users e ON e.id = c.end_user_id" + PROVIDER_REVOCATION + " ORDER BY " + order,
                CredentialStore::view, where.args.toArray());
    }

    /** Keyset page after a cursor, for the API. */
    List<CredentialView> after(UUID tenantId, CredentialFilter filter, @Nullable Cursor cursor, int limit) {
        var where = where(tenantId, filter);
        String sql = where.sql;
        if (cursor != null) {
            sql += " AND (c.created_at, c.id) < (?, ?)";
            where.args.add(utc(cursor.createdAt()));
            where.args.add(cursor.id());
        }
        where.args.add(limit);
        return customPlanned("WITH page AS (SELECT c.id FROM credentials c" + sql
                        + " ORDER BY c.created_at DESC, c.id DESC LIMIT ?) SELECT " + COLUMNS
                        + " FROM page p JOIN credentials c ON c.id = p.id JOIN end_users e ON e.id = c.end_user_id"
                        + PROVIDER_REVOCATION + " ORDER BY c.created_at DESC, c.id DESC",
                CredentialStore::view, where.args.toArray());
    }

    /** Counts up to {@code cap}: exact below it, so a huge tenant never pays for a full count. */
    long count(UUID tenantId, CredentialFilter filter, long cap) {
        var where = where(tenantId, filter);
        where.args.add(cap);
        return customPlanned("SELECT count(*) FROM (SELECT 1 FROM credentials c" + where.sql + " LIMIT ?) capped",
                (rs, n) -> rs.getLong(1), where.args.toArray()).getFirst();
    }

    Map<CredentialStatus, Long> countByStatus(UUID tenantId) {
        var counts = new java.util.EnumMap<CredentialStatus, Long>(CredentialStatus.class);
        jdbc.query("SELECT status, count(*) FROM credentials WHERE tenant_id = ? GROUP BY status",
                rs -> {
                    counts.put(CredentialStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }, tenantId);
        return counts;
    }

    List<String> metadataValues(UUID tenantId, String key, int limit) {
        return jdbc.queryForList("""
                SELECT DISTINCT metadata ->> ? AS v FROM credentials
                WHERE tenant_id = ? AND metadata ? ? ORDER BY v LIMIT ?""".replace("metadata ? ?", "metadata ?? ?"),
                String.class, key, tenantId, key, limit);
    }

    /**
     * Writes only what an edit sets: the label when {@code setLabel}, the metadata when not null. The other column
     * stays as it is now, not as the edit read it, so two edits at once do not undo each other.
     */
    int updateMetadata(UUID tenantId, String id, boolean setLabel, @Nullable String label,
                       @Nullable Map<String, Object> metadata, Instant now) {
        return jdbc.update("UPDATE credentials SET label = CASE WHEN ? THEN ? ELSE label END, "
                        + "metadata = COALESCE(?::jsonb, metadata), updated_at = ? "
                        + "WHERE tenant_id = ? AND id = ? AND status <> 'REVOKED'",
                setLabel, label, metadata == null ? null : JSON.writeValueAsString(metadata), utc(now), tenantId, id);
    }

    /** Sets and removes these metadata keys on the metadata as it is now: other keys changed meanwhile stay. */
    int mergeMetadata(UUID tenantId, String id, Map<String, Object> set, Collection<String> removed, Instant now) {
        return jdbc.update("UPDATE credentials SET metadata = (metadata || ?::jsonb) - ?::text[], updated_at = ? "
                        + "WHERE tenant_id = ? AND id = ? AND status <> 'REVOKED'",
                JSON.writeValueAsString(set), removed.toArray(String[]::new), utc(now), tenantId, id);
    }

    /** A reconnect: new secret material, back to ACTIVE, same id. Revoked credentials stay revoked. */
    int replaceSecret(UUID tenantId, String id, byte[] secret, String destination, Map<String, String> config,
                      List<String> scopes, @Nullable Instant expiresAt, Instant now) {
        return jdbc.update("""
                UPDATE credentials SET secret = ?, destination = ?, config = ?::jsonb, scopes = ?, expires_at = ?,
                    status = 'ACTIVE', reconnect_reason = NULL,
                    last_refreshed_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status <> 'REVOKED'""",
                secret, destination, JSON.writeValueAsString(config), String.join(" ", scopes), utc(expiresAt), utc(now), utc(now),
                tenantId, id);
    }

    /**
     * The row, locked until the transaction ends, to decide on and claim a refresh (milliseconds: the token request
     * is made after the commit). NOWAIT: when another instance holds the lock, this fails at once with a
     * {@link org.springframework.dao.PessimisticLockingFailureException} instead of waiting on a pooled connection.
     */
    Optional<SecretRow> lockForRefresh(UUID tenantId, String id) {
        return jdbc.query("""
                SELECT c.id, c.app_key, c.end_user_id, e.external_id, c.status, c.secret, c.config, c.destination
                FROM credentials c JOIN end_users e ON e.id = c.end_user_id
                WHERE c.tenant_id = ? AND c.id = ? FOR UPDATE OF c NOWAIT""",
                CredentialStore::secretRow, tenantId, id).stream().findFirst();
    }

    private static SecretRow secretRow(ResultSet rs, int n) throws SQLException {
        return new SecretRow(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                CredentialStatus.valueOf(rs.getString(5)), rs.getBytes(6), JSON.readValue(rs.getString(7), STRING_MAP),
                rs.getString(8));
    }

    /**
     * Claims the refresh of a row this transaction has locked, unless another live claim holds it. The claimant makes
     * the token request with no lock held; others wait for its result (see {@link #lockClaimed}).
     */
    boolean claimRefresh(UUID tenantId, String id, UUID claim, Instant until, Instant now) {
        return jdbc.update("UPDATE credentials SET refresh_claim = ?, refresh_claimed_until = ? WHERE tenant_id = ? "
                        + "AND id = ? AND (refresh_claimed_until IS NULL OR refresh_claimed_until <= ?)",
                claim, utc(until), tenantId, id, utc(now)) == 1;
    }

    /**
     * The row, locked until the transaction ends, if the refresh claim is still this one: where a refresh's result
     * is written. Waits for a lock held by another instance's claim decision, which is brief.
     */
    Optional<SecretRow> lockClaimed(UUID tenantId, String id, UUID claim) {
        return jdbc.query("""
                SELECT c.id, c.app_key, c.end_user_id, e.external_id, c.status, c.secret, c.config, c.destination
                FROM credentials c JOIN end_users e ON e.id = c.end_user_id
                WHERE c.tenant_id = ? AND c.id = ? AND c.refresh_claim = ? FOR UPDATE OF c""",
                CredentialStore::secretRow, tenantId, id, claim).stream().findFirst();
    }

    void releaseRefreshClaim(UUID tenantId, String id, UUID claim) {
        jdbc.update("UPDATE credentials SET refresh_claim = NULL, refresh_claimed_until = NULL "
                + "WHERE tenant_id = ? AND id = ? AND refresh_claim = ?", tenantId, id, claim);
    }

    /** New tokens, sealed for the same destination as before (checked under the row lock the write holds). */
    void storeRefreshed(UUID tenantId, String id, byte[] secret, Map<String, String> config,
                        @Nullable Instant expiresAt, List<String> scopes, Instant now) {
        jdbc.update("""
                UPDATE credentials SET secret = ?, config = ?::jsonb, expires_at = ?, scopes = ?, status = 'ACTIVE',
                    last_refreshed_at = ?, refresh_failed_at = NULL, refresh_retry_at = NULL, updated_at = ?
                WHERE tenant_id = ? AND id = ? AND status NOT IN ('REVOKED', 'NEEDS_RECONNECT')""",
                secret, JSON.writeValueAsString(config), utc(expiresAt), String.join(" ", scopes), utc(now), utc(now),
                tenantId, id);
    }

    /**
     * The connector's destination is no longer the one the secret was sealed for: unusable until a reconnect.
     * Returns 0 when it was already marked (or revoked), so the caller announces the change once.
     */
    int markNeedsReconnect(UUID tenantId, String id, String reason, Instant now) {
        return jdbc.update("UPDATE credentials SET status = 'NEEDS_RECONNECT', reconnect_reason = ?, "
                + "refresh_retry_at = NULL, updated_at = ? WHERE tenant_id = ? AND id = ? "
                + "AND status NOT IN ('REVOKED', 'NEEDS_RECONNECT')", reason, utc(now), tenantId, id);
    }

    /** The tenant's credentials of one connector that still hold a secret: what a destination change strands. */
    List<String> holdingSecrets(UUID tenantId, String appKey) {
        return jdbc.queryForList("SELECT id FROM credentials WHERE tenant_id = ? AND app_key = ? "
                + "AND secret IS NOT NULL AND status <> 'NEEDS_RECONNECT' ORDER BY id", String.class, tenantId, appKey);
    }

    void markRefreshFailed(UUID tenantId, String id, Instant now) {
        jdbc.update("UPDATE credentials SET status = 'REFRESH_FAILED', refresh_failed_at = ?, refresh_retry_at = NULL, "
                + "updated_at = ? WHERE tenant_id = ? AND id = ? AND status <> 'REVOKED'", utc(now), utc(now), tenantId, id);
    }

    void markExpired(UUID tenantId, String id, Instant now) {
        jdbc.update("UPDATE credentials SET status = 'EXPIRED', updated_at = ? WHERE tenant_id = ? AND id = ? "
                + "AND status = 'ACTIVE'", utc(now), tenantId, id);
    }

    void deferRefresh(UUID tenantId, String id, Instant retryAt) {
        jdbc.update("UPDATE credentials SET refresh_retry_at = ? WHERE tenant_id = ? AND id = ?", utc(retryAt), tenantId, id);
    }

    /** Candidates for the proactive refresh job: soon-expiring active ones, and failed ones past their cooldown. */
    List<Object[]> dueForRefresh(Instant expiringBefore, Instant failedBefore, Instant now, int limit) {
        return jdbc.query("""
                SELECT tenant_id, id FROM credentials
                WHERE ((status = 'ACTIVE' AND expires_at IS NOT NULL AND expires_at < ?)
                       OR (status = 'REFRESH_FAILED' AND refresh_failed_at < ?))
                  AND (refresh_retry_at IS NULL OR refresh_retry_at < ?)
                  AND (refresh_claimed_until IS NULL OR refresh_claimed_until <= ?)
                ORDER BY expires_at NULLS LAST LIMIT ?""",
                (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2)},
                utc(expiringBefore), utc(failedBefore), utc(now), utc(now), limit);
    }

    void touchLastUsed(Map<String, Instant> lastUsed) {
        jdbc.batchUpdate("UPDATE credentials SET last_used_at = GREATEST(COALESCE(last_used_at, ?), ?) WHERE id = ?",
                lastUsed.entrySet().stream().map(e -> new Object[] {utc(e.getValue()), utc(e.getValue()), e.getKey()})
                        .toList());
    }

    void recordChecks(Map<String, Object[]> checks) {
        jdbc.batchUpdate("UPDATE credentials SET last_check_status = ?, last_check_at = ? WHERE id = ?",
                checks.entrySet().stream().map(e -> new Object[] {e.getValue()[0], utc((Instant) e.getValue()[1]),
                        e.getKey()}).toList());
    }

    Optional<Instant> expiresAt(UUID tenantId, String id) {
        return jdbc.query("SELECT expires_at FROM credentials WHERE tenant_id = ? AND id = ?",
                (rs, n) -> rs.getObject(1, OffsetDateTime.class), tenantId, id).stream().findFirst()
                .map(t -> t == null ? null : t.toInstant());
    }

    int revoke(UUID tenantId, String id, String revokedBy, Instant now) {
        return jdbc.update("UPDATE credentials SET status = 'REVOKED', secret = NULL, destination = NULL, "
                        + "revoked_at = ?, revoked_by = ?, "
                        + "updated_at = ? WHERE tenant_id = ? AND id = ? AND status <> 'REVOKED'",
                utc(now), revokedBy, utc(now), tenantId, id);
    }

    record Sealed(String id, UUID tenantId, String appKey, byte[] secret, @Nullable String destination) {
    }

    long countSealedNotOn(byte[] keyId) {
        return jdbc.queryForObject("SELECT count(*) FROM credentials WHERE secret IS NOT NULL "
                + "AND substring(secret from 2 for 4) <> ?", Long.class, keyId);
    }

    /** The next secrets after {@code afterId} sealed with a key other than {@code keyId}, for re-sealing. */
    List<Sealed> sealedNotOn(byte[] keyId, String afterId, int limit) {
        return jdbc.query("SELECT id, tenant_id, app_key, secret, destination FROM credentials WHERE id > ? "
                + "AND secret IS NOT NULL AND substring(secret from 2 for 4) <> ? ORDER BY id LIMIT ? "
                + "FOR UPDATE SKIP LOCKED", CredentialStore::sealed, afterId, keyId, limit);
    }

    /** Sealed before destinations were bound (the column is null): what the one-time binding at start-up takes. */
    List<Sealed> unboundSecrets(String afterId, int limit) {
        return jdbc.query("SELECT id, tenant_id, app_key, secret, destination FROM credentials "
                + "WHERE secret IS NOT NULL AND destination IS NULL AND id > ? ORDER BY id LIMIT ?",
                CredentialStore::sealed, afterId, limit);
    }

    private static Sealed sealed(ResultSet rs, int n) throws SQLException {
        return new Sealed(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getBytes(4),
                rs.getString(5));
    }

    /** Re-encryption under the primary key: the same destination, compared so a concurrent change is not undone. */
    boolean reseal(Sealed row, byte[] secret) {
        return jdbc.update("UPDATE credentials SET secret = ? WHERE id = ? AND secret = ?", secret, row.id(),
                row.secret()) == 1;
    }

    /** Binds a legacy secret, unless another instance did it first or the secret changed meanwhile. */
    int bindDestination(Sealed row, byte[] secret, String destination) {
        return jdbc.update("UPDATE credentials SET secret = ?, destination = ? WHERE id = ? AND destination IS NULL "
                + "AND secret = ?", secret, destination, row.id(), row.secret());
    }

    /** The next secrets of a connector after {@code afterId} bound to one of {@code destinations}. */
    List<Sealed> boundTo(String appKey, Collection<String> destinations, String afterId, int limit) {
        return jdbc.query("SELECT id, tenant_id, app_key, secret, destination FROM credentials WHERE app_key = ? "
                        + "AND secret IS NOT NULL AND destination = ANY(?) AND id > ? ORDER BY id LIMIT ?",
                CredentialStore::sealed, appKey, destinations.toArray(String[]::new), afterId, limit);
    }

    /** Moves a secret to its connector's new destination, unless another instance did or the secret changed. */
    int moveDestination(Sealed row, byte[] secret, String destination) {
        return jdbc.update("UPDATE credentials SET secret = ?, destination = ? WHERE id = ? AND destination = ? "
                + "AND secret = ?", secret, destination, row.id(), row.destination(), row.secret());
    }

    private record Where(String sql, List<Object> args) {
    }

    /**
     * Runs a statement built from the grid's filters planned for its actual values, every time. Its LIMIT,
     * OFFSET and search patterns are parameters: once the driver server-prepares a statement (from its fifth
     * use on a connection) PostgreSQL may switch to a generic plan that cannot see them, assumes a tenth of
     * the table for {@code LIMIT ?} and a default selectivity for {@code ILIKE ?}, and picks a sequential scan:
     * 0.4-0.9 s where the custom plan takes milliseconds (docs/benchmarks-credentials.md). A prepare threshold
     * of 0 keeps the statement unnamed, so it is planned for its values; planning costs well under a millisecond.
     */
    private <T> List<T> customPlanned(String sql, RowMapper<T> mapper, Object... args) {
        return jdbc.query(new CustomPlanned(sql, args), mapper);
    }

    private record CustomPlanned(String sql, Object[] args) implements PreparedStatementCreator, SqlProvider {

        @Override
        public PreparedStatement createPreparedStatement(Connection con) throws SQLException {
            PreparedStatement ps = con.prepareStatement(sql);
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            new ArgumentPreparedStatementSetter(args).setValues(ps);
            return ps;
        }

        @Override
        public String getSql() {
            return sql;
        }
    }

    private Where where(UUID tenantId, CredentialFilter f) {
        var sql = new StringBuilder(" WHERE c.tenant_id = ?");
        var args = new ArrayList<Object>();
        args.add(tenantId);
        if (f.appKey() != null && !f.appKey().isBlank()) {
            sql.append(" AND c.app_key = ?");
            args.add(f.appKey());
        }
        if (f.status() != null) {
            sql.append(" AND c.status = ?");
            args.add(f.status().name());
        }
        if (f.endUserId() != null && !f.endUserId().isBlank()) {
            sql.append(" AND c.end_user_id = (SELECT id FROM end_users WHERE tenant_id = ? AND external_id = ?)");
            args.add(tenantId);
            args.add(f.endUserId().strip());
        }
        if (f.metadataKey() != null && !f.metadataKey().isBlank() && f.metadataValue() != null) {
            sql.append(" AND (c.metadata @> ?::jsonb");
            args.add(JSON.writeValueAsString(Map.of(f.metadataKey(), f.metadataValue())));
            Object typed = typed(f.metadataValue());
            if (typed != null) {
                sql.append(" OR c.metadata @> ?::jsonb");
                args.add(JSON.writeValueAsString(Map.of(f.metadataKey(), typed)));
            }
            sql.append(')');
        }
        if (f.createdFrom() != null) {
            sql.append(" AND c.created_at >= ?");
            args.add(utc(f.createdFrom()));
        }
        if (f.createdTo() != null) {
            sql.append(" AND c.created_at < ?");
            args.add(utc(f.createdTo()));
        }
        if (f.text() != null && !f.text().isBlank()) {
            String text = f.text().strip();
            String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            // The matching end users first (trigram index). While they are few, their ids go into the statement
            // and the search is a union of index scans (primary key, label trigrams, end-user index) instead of a
            // filter over every row of the tenant. Inlined, not bound: a bound array is an unknown-length
            // parameter in a generic plan (the driver server-prepares from the fifth use), which PostgreSQL can
            // neither estimate nor hash. UUIDs print as hex digits and dashes only.
            List<UUID> endUsers = customPlanned("SELECT id FROM end_users WHERE tenant_id = ? AND "
                    + "(external_id ILIKE ? OR email ILIKE ? OR display_name ILIKE ?) LIMIT ?",
                    (rs, n) -> rs.getObject(1, UUID.class), tenantId, like, like, like, SEARCH_INLINE_END_USERS + 1);
            if (endUsers.size() <= SEARCH_INLINE_END_USERS) {
                sql.append(" AND (c.id = ? OR c.label ILIKE ? OR c.end_user_id = ANY ('{")
                        .append(String.join(",", endUsers.stream().map(UUID::toString).toList()))
                        .append("}'::uuid[]))");
                args.addAll(List.of(text, like));
            } else {
                // A broad search: most rows match, so walking the tenant's newest rows finds a page quickly.
                sql.append(" AND (c.id = ? OR c.label ILIKE ? OR c.end_user_id IN (SELECT id FROM end_users WHERE "
                        + "tenant_id = ? AND (external_id ILIKE ? OR email ILIKE ? OR display_name ILIKE ?)))");
                args.addAll(List.of(text, like, tenantId, like, like, like));
            }
        }
        return new Where(sql.toString(), args);
    }

    private static @Nullable Object typed(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        try {
            return new java.math.BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A row as a {@link CredentialView}, compact: a grid holds the rows it shows for as long as the session
     * lasts. Connector keys, metadata and config keys and scope names come from small vocabularies and are
     * shared (interned); empty and one-entry maps are immutable ones (a parsed map costs about 180 bytes).
     */
    private static CredentialView view(ResultSet rs, int n) throws SQLException {
        String scopes = rs.getString("scopes");
        return new CredentialView(rs.getString("id"), rs.getString("app_key").intern(), rs.getString("external_id"),
                rs.getString("email"), rs.getString("display_name"), rs.getString("label"),
                CredentialStatus.valueOf(rs.getString("status")),
                compact(JSON.readValue(rs.getString("metadata"), OBJECT_MAP)),
                compact(JSON.readValue(rs.getString("config"), STRING_MAP)),
                scopes == null || scopes.isBlank() ? List.of()
                        : List.of(Arrays.stream(scopes.split(" ")).map(String::intern).toArray(String[]::new)),
                instant(rs, "expires_at"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "last_refreshed_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"),
                rs.getString("revoked_by"), (Integer) rs.getObject("last_check_status"), instant(rs, "last_check_at"),
                ProviderRevocations.state(rs, "pr_"));
    }

    /** The same entries in the same order, in less memory where that is simple (no entries, or one). */
    private static <V> Map<String, V> compact(Map<String, V> parsed) {
        if (parsed.isEmpty()) {
            return Map.of();
        }
        if (parsed.size() == 1) {
            var entry = parsed.entrySet().iterator().next();
            if (entry.getValue() != null) {
                return Map.of(entry.getKey().intern(), entry.getValue());
            }
        }
        return Collections.unmodifiableMap(parsed);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
