package io.plugboard.credential;

import static io.plugboard.credential.CredentialStore.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * SQL for the provider revocation queue ({@code provider_revocations}). Statements a user's request makes take the
 * tenant; the worker's address the rows it claimed by credential id, tenant and lease token.
 */
@Repository
class ProviderRevocations {

    /** A revocation a worker has leased: everything it needs for the next attempt. */
    record Claimed(String credentialId, UUID tenantId, String appKey, String revocationUrl, String clientAuth,
                   byte[] material, int attempts, Instant giveUpAt, UUID leaseToken) {

        @Override
        public String toString() {
            return "Claimed[" + credentialId + ", attempts=" + attempts + "]";
        }
    }

    private final JdbcTemplate jdbc;

    ProviderRevocations(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** A revocation whose first attempt was final, or that could not be attempted at all. */
    void insertFinished(UUID tenantId, String credentialId, String appKey, ProviderRevocationStatus status,
                        @Nullable String revocationUrl, @Nullable String clientAuth, int attempts,
                        @Nullable String lastError, Instant now) {
        jdbc.update("""
                INSERT INTO provider_revocations (credential_id, tenant_id, app_key, status, revocation_url, client_auth,
                    attempts, last_attempt_at, last_error, created_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                credentialId, tenantId, appKey, status.name(), revocationUrl, clientAuth, attempts,
                attempts > 0 ? utc(now) : null, truncate(lastError), utc(now), utc(now));
    }

    /**
     * A revocation to attempt from {@code nextAttemptAt}, with the sealed material the attempts send; {@code attempts}
     * is 0 when none was made yet (bulk revoke leaves the first to the worker).
     */
    void insertPending(UUID tenantId, String credentialId, String appKey, String revocationUrl, String clientAuth,
                       byte[] material, int attempts, @Nullable String lastError, Instant now, Instant nextAttemptAt,
                       Instant giveUpAt) {
        jdbc.update("""
                INSERT INTO provider_revocations (credential_id, tenant_id, app_key, status, revocation_url, client_auth,
                    material, attempts, last_attempt_at, last_error, next_attempt_at, give_up_at, created_at)
                VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                credentialId, tenantId, appKey, revocationUrl, clientAuth, material, attempts,
                attempts > 0 ? utc(now) : null, truncate(lastError), utc(nextAttemptAt), utc(giveUpAt), utc(now));
    }

    Optional<ProviderRevocationState> find(UUID tenantId, String credentialId) {
        return jdbc.query("""
                SELECT status, attempts, last_attempt_at, last_error, next_attempt_at FROM provider_revocations
                WHERE tenant_id = ? AND credential_id = ?""",
                (rs, n) -> state(rs, ""), tenantId, credentialId).stream().findFirst();
    }

    /**
     * Leases up to {@code limit} revocations due by {@code now} to the worker holding {@code leaseToken}. SKIP LOCKED
     * lets workers on several instances claim side by side without taking each other's rows; a lease that runs out
     * (its worker died) makes the row claimable again.
     */
    List<Claimed> claim(int limit, Instant now, Instant leaseUntil, UUID leaseToken) {
        return jdbc.query("""
                UPDATE provider_revocations r SET lease_until = ?, lease_token = ?
                WHERE r.credential_id IN (
                    SELECT c.credential_id FROM provider_revocations c
                    WHERE c.status = 'PENDING' AND c.next_attempt_at <= ? AND (c.lease_until IS NULL OR c.lease_until < ?)
                    ORDER BY c.next_attempt_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING r.credential_id, r.tenant_id, r.app_key, r.revocation_url, r.client_auth, r.material,
                    r.attempts, r.give_up_at, r.lease_token""",
                (rs, n) -> new Claimed(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6), rs.getInt(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
                        rs.getObject(9, UUID.class)),
                utc(leaseUntil), leaseToken, utc(now), utc(now), limit);
    }

    /** Another attempt failed and another is due at {@code next}, if the lease is still this worker's. */
    boolean recordRetry(Claimed claimed, int attempts, Instant now, String error, Instant next) {
        return jdbc.update("""
                UPDATE provider_revocations SET attempts = ?, last_attempt_at = ?, last_error = ?, next_attempt_at = ?,
                    lease_until = NULL, lease_token = NULL
                WHERE credential_id = ? AND tenant_id = ? AND lease_token = ? AND status = 'PENDING'""",
                attempts, utc(now), truncate(error), utc(next), claimed.credentialId(), claimed.tenantId(),
                claimed.leaseToken()) == 1;
    }

    /**
     * The final outcome, if the lease is still this worker's: the sealed material is destroyed with it.
     * {@code attemptedAt} is null when nothing was sent (the connector changed, the material did not open).
     */
    boolean recordFinished(Claimed claimed, ProviderRevocationStatus status, int attempts, @Nullable Instant attemptedAt,
                           @Nullable String error, Instant now) {
        return jdbc.update("""
                UPDATE provider_revocations SET status = ?, attempts = ?, last_attempt_at = COALESCE(?, last_attempt_at),
                    last_error = ?, material = NULL, next_attempt_at = NULL, lease_until = NULL, lease_token = NULL,
                    finished_at = ?
                WHERE credential_id = ? AND tenant_id = ? AND lease_token = ? AND status = 'PENDING'""",
                status.name(), attempts, utc(attemptedAt), truncate(error), utc(now), claimed.credentialId(),
                claimed.tenantId(), claimed.leaseToken()) == 1;
    }

    // ---- master-key rotation

    /** The sealed material of one revocation still being retried. */
    record Material(String credentialId, UUID tenantId, byte[] material) {
    }

    long countMaterialNotOn(byte[] keyId) {
        return jdbc.queryForObject("SELECT count(*) FROM provider_revocations WHERE material IS NOT NULL "
                + "AND substring(material from 2 for 4) <> ?", Long.class, keyId);
    }

    /** The next materials after {@code afterId} sealed with a key other than {@code keyId}, for re-sealing. */
    List<Material> materialNotOn(byte[] keyId, String afterId, int limit) {
        return jdbc.query("SELECT credential_id, tenant_id, material FROM provider_revocations WHERE credential_id > ? "
                + "AND material IS NOT NULL AND substring(material from 2 for 4) <> ? ORDER BY credential_id LIMIT ? "
                + "FOR UPDATE SKIP LOCKED",
                (rs, n) -> new Material(rs.getString(1), rs.getObject(2, UUID.class), rs.getBytes(3)),
                afterId, keyId, limit);
    }

    /**
     * Replaces the material with its re-sealed copy only while the row still holds the one read: a worker that
     * finished the revocation meanwhile destroyed it, and that must stay so.
     */
    boolean reseal(Material read, byte[] material) {
        return jdbc.update("UPDATE provider_revocations SET material = ? WHERE credential_id = ? AND material = ? "
                + "AND status = 'PENDING'", material, read.credentialId(), read.material()) == 1;
    }

    /** The state from a row whose provider revocation columns are prefixed with {@code prefix}; null without one. */
    static @Nullable ProviderRevocationState state(ResultSet rs, String prefix) throws SQLException {
        String status = rs.getString(prefix + "status");
        if (status == null) {
            return null;
        }
        return new ProviderRevocationState(ProviderRevocationStatus.valueOf(status), rs.getInt(prefix + "attempts"),
                instant(rs, prefix + "last_attempt_at"), rs.getString(prefix + "last_error"),
                instant(rs, prefix + "next_attempt_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable String truncate(@Nullable String error) {
        return error == null || error.length() <= 300 ? error : error.substring(0, 297) + "...";
    }
}
