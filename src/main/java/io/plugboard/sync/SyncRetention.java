package io.plugboard.sync;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes the synced data of revoked credentials once {@code plugboard.sync.retention-after-revocation} has passed
 * since the revocation: their sync states (checkpoints included) and every synced record. A revoked credential can
 * never be used again, so nothing would ever bring the copy up to date; a credential that is only waiting for a
 * reconnect keeps its data.
 *
 * <p>Each credential is claimed first (a row in {@code sync_purges} with a lease), so one instance at a time
 * deletes a given credential's data whatever the number of instances running this job. The records go in batches,
 * each its own short transaction that also adds to the counts and renews the lease: a credential with millions of
 * rows holds no long transaction or lock, and a purge cut short is carried on by the next claim. Finishing marks the
 * row purged and audits it ({@code sync.purged}, actor system, with the counts) in one transaction: once.
 */
@Component
class SyncRetention {

    private static final Logger log = LoggerFactory.getLogger(SyncRetention.class);
    static final int BATCH = 5_000;
    private static final List<String> RECORD_TABLES = List.of("people", "notes", "tasks", "users");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final SyncProperties properties;
    private final AuditLog audit;
    private final Clock clock;

    SyncRetention(DataSource dataSource, TransactionTemplate transactions, SyncProperties properties, AuditLog audit,
                  Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 3_600_000, initialDelay = 150_000)
    public void purgeDue() {
        purgeDue(clock.instant());
    }

    /** Purges every credential revoked longer than the retention before {@code now}; returns how many. */
    int purgeDue(Instant now) {
        OffsetDateTime revokedBefore = OffsetDateTime.ofInstant(now.minus(properties.retentionAfterRevocation()),
                ZoneOffset.UTC);
        // Credentials with sync states left, and purges begun but not finished (their states may be gone already).
        List<Map<String, Object>> due = TenantScope.platform("retention: synced data of revoked credentials",
                () -> jdbc.queryForList("""
                        SELECT c.tenant_id, c.id FROM credentials c
                        WHERE c.status = 'REVOKED' AND c.revoked_at <= ?
                          AND (EXISTS (SELECT 1 FROM sync_states s WHERE s.credential_id = c.id)
                               OR EXISTS (SELECT 1 FROM sync_purges p WHERE p.credential_id = c.id
                                          AND p.purged_at IS NULL))""", revokedBefore));
        int purged = 0;
        for (Map<String, Object> row : due) {
            UUID tenantId = (UUID) row.get("tenant_id");
            String credentialId = (String) row.get("id");
            try {
                if (TenantScope.tenant(tenantId, () -> purge(tenantId, credentialId))) {
                    purged++;
                }
            } catch (RuntimeException e) {
                // The next run carries on from what was deleted; the lease keeps others off until then.
                log.warn("Synced data of {} not purged yet: {}", credentialId, e.toString());
            }
        }
        return purged;
    }

    /** Whether this instance purged the credential (false: another holds it, or it was done already). */
    private boolean purge(UUID tenantId, String credentialId) {
        UUID owner = UUID.randomUUID();
        double lease = properties.lease().toSeconds();
        boolean claimed = !jdbc.queryForList("""
                INSERT INTO sync_purges (credential_id, tenant_id, lease_owner, lease_until, started_at)
                VALUES (?, ?, ?, now() + make_interval(secs => ?), now())
                ON CONFLICT (credential_id) DO UPDATE SET lease_owner = excluded.lease_owner,
                    lease_until = excluded.lease_until
                WHERE sync_purges.purged_at IS NULL AND sync_purges.lease_until < now()
                RETURNING 1""", Integer.class, credentialId, tenantId, owner, lease).isEmpty();
        if (!claimed) {
            return false;
        }
        // The states first: a run still holding a lease finds its row gone and writes nothing more.
        if (!batch(credentialId, owner, lease, "models",
                "DELETE FROM sync_states WHERE credential_id = ?", credentialId)) {
            return false;
        }
        for (String table : RECORD_TABLES) {
            int deleted;
            do {
                deleted = deleteBatch(credentialId, owner, lease, table);
                if (deleted < 0) {
                    return false;
                }
            } while (deleted == BATCH);
        }
        return Boolean.TRUE.equals(transactions.execute(tx -> finish(tenantId, credentialId, owner)));
    }

    /** One batch of a record table; -1 when the lease is no longer this instance's. */
    private int deleteBatch(String credentialId, UUID owner, double lease, String table) {
        Integer deleted = transactions.execute(tx -> {
            if (!holds(credentialId, owner)) {
                return -1;
            }
            int n = jdbc.update("DELETE FROM synced_" + table + " WHERE credential_id = ? AND provider_id IN ("
                    + "SELECT provider_id FROM synced_" + table + " WHERE credential_id = ? LIMIT ?)",
                    credentialId, credentialId, BATCH);
            counted(credentialId, owner, lease, table, n);
            return n;
        });
        return deleted == null ? -1 : deleted;
    }

    private boolean batch(String credentialId, UUID owner, double lease, String column, String delete, Object... args) {
        return Boolean.TRUE.equals(transactions.execute(tx -> {
            if (!holds(credentialId, owner)) {
                return false;
            }
            counted(credentialId, owner, lease, column, jdbc.update(delete, args));
            return true;
        }));
    }

    /** Locks the claim if it is still this instance's: the guard of every batch. */
    private boolean holds(String credentialId, UUID owner) {
        return !jdbc.queryForList("SELECT 1 FROM sync_purges WHERE credential_id = ? AND lease_owner = ? "
                + "AND purged_at IS NULL FOR UPDATE", Integer.class, credentialId, owner).isEmpty();
    }

    private void counted(String credentialId, UUID owner, double lease, String column, int n) {
        // column is one of this class's own names, never input.
        jdbc.update("UPDATE sync_purges SET " + column + " = " + column + " + ?, "
                + "lease_until = now() + make_interval(secs => ?) WHERE credential_id = ? AND lease_owner = ?",
                n, lease, credentialId, owner);
    }

    private boolean finish(UUID tenantId, String credentialId, UUID owner) {
        var done = jdbc.queryForList("""
                UPDATE sync_purges SET purged_at = now(), lease_owner = NULL, lease_until = NULL
                WHERE credential_id = ? AND lease_owner = ? AND purged_at IS NULL
                RETURNING models, people, notes, tasks, users""", credentialId, owner);
        if (done.isEmpty()) {
            return false;
        }
        Map<String, Object> counts = done.getFirst();
        AuditRecord record = AuditRecord.of("sync.purged", tenantId).target("credential", credentialId)
                .detail("retention", properties.retentionAfterRevocation().toString());
        for (String key : List.of("models", "people", "notes", "tasks", "users")) {
            record = record.detail(key, ((Number) counts.get(key)).longValue());
        }
        audit.record(AuditActor.SYSTEM, record);
        return true;
    }

    /**
     * When the synced data of a revoked credential is deleted: when it was, once purged; else its revocation plus
     * the retention. Null for a credential not revoked.
     */
    @Nullable Instant purgeAt(UUID tenantId, String credentialId, @Nullable Instant revokedAt) {
        if (revokedAt == null) {
            return null;
        }
        return jdbc.queryForList("SELECT purged_at FROM sync_purges WHERE tenant_id = ? AND credential_id = ? "
                        + "AND purged_at IS NOT NULL", OffsetDateTime.class, tenantId, credentialId).stream()
                .map(OffsetDateTime::toInstant).findFirst()
                .orElse(revokedAt.plus(properties.retentionAfterRevocation()));
    }
}
