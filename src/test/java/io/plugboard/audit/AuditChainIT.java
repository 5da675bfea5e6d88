package io.plugboard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

@PlugboardTest
class AuditChainIT {

    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ApplicationContext context;

    private JdbcTemplate superuser;

    @BeforeEach
    void connectAsSuperuser() {
        superuser = DatabaseSuperuser.of(context);
    }

    @Test
    void theRuntimeRoleMayNotUpdateDeleteOrTruncate() {
        AuditEvent event = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.append_only", null));
        assertThatThrownBy(() -> jdbc.update("UPDATE audit_events SET action = 'x' WHERE seq = ?", event.seq()))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_events WHERE seq = ?", event.seq()))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.update("TRUNCATE audit_events"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThat(jdbc.queryForObject("SELECT action FROM audit_events WHERE seq = ?", String.class, event.seq()))
                .isEqualTo("test.append_only");
    }

    @Test
    void evenWithFullRightsTheTriggerRefusesUpdateDeleteAndTruncate() {
        AuditEvent event = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.append_only", null));
        assertThatThrownBy(() -> superuser.update("UPDATE audit_events SET action = 'x' WHERE seq = ?", event.seq()))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> superuser.update("DELETE FROM audit_events WHERE seq = ?", event.seq()))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> superuser.update("TRUNCATE audit_events"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThat(jdbc.queryForObject("SELECT action FROM audit_events WHERE seq = ?", String.class, event.seq()))
                .isEqualTo("test.append_only");
    }

    @Test
    void alteringOneRowMakesVerificationReportExactlyThatEvent() {
        audit.record(AuditActor.SYSTEM, AuditRecord.of("test.before", null));
        AuditEvent victim = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.victim", null).detail("amount", 1));
        audit.record(AuditActor.SYSTEM, AuditRecord.of("test.after", null));
        assertThat(audit.verifyChain().intact()).isTrue();

        // Tamper with the rights of a superuser (triggers skipped), then put the row back as it was.
        String original = superuser.queryForObject("SELECT details FROM audit_events WHERE seq = ?", String.class,
                victim.seq());
        tamper("UPDATE audit_events SET details = '{\"amount\":1000}' WHERE seq = ?", victim.seq());
        try {
            ChainVerification result = audit.verifyChain();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBrokenSeq()).isEqualTo(victim.seq());
            assertThat(result.message()).contains("altered");
        } finally {
            tamper("UPDATE audit_events SET details = ? WHERE seq = ?", original, victim.seq());
        }
        assertThat(audit.verifyChain().intact()).isTrue();
    }

    @Test
    void removingOneRowBreaksTheLinkOfTheNextEvent() {
        AuditEvent victim = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.removed", null));
        AuditEvent next = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.next", null));
        assertThat(audit.verifyChain().intact()).isTrue();
        String row = superuser.queryForObject("SELECT to_jsonb(e)::text FROM audit_events e WHERE seq = ?",
                String.class, victim.seq());
        tamper("DELETE FROM audit_events WHERE seq = ?", victim.seq());
        try {
            ChainVerification result = audit.verifyChain();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBrokenSeq()).isEqualTo(next.seq());
        } finally {
            tamper("INSERT INTO audit_events SELECT * FROM jsonb_populate_record(NULL::audit_events, ?::jsonb)", row);
        }
        assertThat(audit.verifyChain().intact()).isTrue();
    }

    /** One committed change with triggers skipped, as only a superuser can. */
    private void tamper(String sql, Object... args) {
        superuser.execute((ConnectionCallback<Void>) connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("SET session_replication_role = replica");
            }
            try (var change = connection.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    change.setObject(i + 1, args[i]);
                }
                change.executeUpdate();
            }
            return null;
        });
    }

    @Test
    void sealingFillsTheChainOnceAndChangesNothingElse() {
        AuditEvent event = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.sealed", null).detail("k", "v"));
        assertThat(event.sealed()).as("writers only insert").isFalse();
        assertThat(audit.verifyChain().intact()).isTrue();
        var sealed = jdbc.queryForMap("SELECT chain_index, prev_hash, hash FROM audit_events WHERE seq = ?", event.seq());
        assertThat(sealed.get("hash")).isNotNull();
        assertThat(sealed.get("chain_index")).isNotNull();

        // A sealed event's chain columns are as fixed as the rest of it, even for a superuser ...
        assertThatThrownBy(() -> superuser.update("UPDATE audit_events SET hash = ? WHERE seq = ?", "f".repeat(64),
                event.seq()))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        // ... and an unsealed one cannot be altered under cover of sealing it (nor can a sealed one, should the
        // background sealer have got there first).
        AuditEvent fresh = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.unsealed", null));
        assertThatThrownBy(() -> superuser.update("""
                UPDATE audit_events SET chain_index = -1, prev_hash = ?, hash = ?, action = 'test.forged'
                WHERE seq = ?""", "0".repeat(64), "0".repeat(64), fresh.seq()))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        // The runtime role's one way to write the chain, the sealing function, leaves sealed events alone.
        assertThat(jdbc.queryForObject("SELECT audit_seal(ARRAY[?]::bigint[], ARRAY[-1]::bigint[], ARRAY[?], ARRAY[?])",
                Integer.class, event.seq(), "0".repeat(64), "0".repeat(64))).isZero();
        assertThat(jdbc.queryForObject("SELECT hash FROM audit_events WHERE seq = ?", String.class, event.seq()))
                .isEqualTo(sealed.get("hash"));
    }

    @Test
    void concurrentWritersKeepOneValidChain() throws Exception {
        String run = UUID.randomUUID().toString();
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        audit.record(AuditActor.SYSTEM, AuditRecord.of("test.concurrent", null)
                                .target("run", run).detail("thread", thread).detail("i", i));
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE target_id = ?", Long.class, run))
                .isEqualTo((long) threads * perThread);
        ChainVerification result = audit.verifyChain();
        assertThat(result.intact()).as(result.message()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE target_id = ? AND hash IS NULL",
                Long.class, run)).as("all sealed by the verification").isZero();
        assertThat(jdbc.queryForObject("""
                SELECT count(DISTINCT prev_hash) = count(*) FROM audit_events WHERE prev_hash IS NOT NULL""", Boolean.class))
                .as("no two events link to the same predecessor").isTrue();
    }
}
