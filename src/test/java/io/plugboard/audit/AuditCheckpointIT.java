package io.plugboard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import io.plugboard.crypto.MasterKeys;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checkpoints written outside the database catch what the hash chain alone cannot: whoever owns the database
 * rewriting an old event and re-hashing everything after it, or dropping the newest events. Tampering happens
 * as the database superuser inside a transaction that is rolled back, so the shared database stays intact.
 */
@PlugboardTest
class AuditCheckpointIT {

    @Autowired
    AuditLog audit;
    @Autowired
    AuditCheckpointWriter writer;
    @Autowired
    AuditEventStore store;
    @Autowired
    CheckpointKeys keys;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ApplicationContext context;

    @TempDir
    Path work;

    @Test
    void aCheckpointIsSignedAppendedToTheFileAndAnUntouchedChainMatchesIt() throws Exception {
        record("test.checkpoint.before", 3);
        AuditCheckpoint first = writer.write(false).orElseThrow();
        record("test.checkpoint.between", 2);
        AuditCheckpoint second = writer.write(false).orElseThrow();

        assertThat(second.position()).isGreaterThanOrEqualTo(first.position() + 2);
        assertThat(jdbc.queryForObject("SELECT hash FROM audit_events WHERE chain_index = ?", String.class,
                second.position())).isEqualTo(second.headHash());
        assertThat(second.keyId()).isEqualTo(keys.currentKeyId());
        assertThat(second.mac()).matches("[0-9a-f]{64}");
        List<String> lines = Files.readAllLines(writer.file());
        assertThat(lines).endsWith(first.line(), second.line());
        assertThat(CheckpointFile.read(writer.file())).endsWith(first, second);

        var live = AuditExportVerifier.verifyChain(store, new CheckpointCheck(CheckpointFile.read(writer.file()), keys));
        assertThat(live.intact()).as(live.message()).isTrue();
        assertThat(live.message()).contains("Checkpoints match");

        var export = AuditExportVerifier.verify(wholeChainExport(), new CheckpointCheck(List.of(first, second), keys));
        assertThat(export.intact()).as(export.message()).isTrue();
        assertThat(export.message()).contains("Checkpoints match: 2 of 2 checked");
    }

    @Test
    void rewritingAnOldEventAndRehashingEverythingAfterItIsCaught() {
        AuditEvent victim = audit.record(AuditActor.SYSTEM, AuditRecord.of("test.checkpoint.victim", null)
                .detail("amount", 1));
        record("test.checkpoint.after-victim", 3);
        AuditCheckpoint checkpoint = writer.write(false).orElseThrow();
        record("test.checkpoint.later", 2);

        asSuperuserThenRollBack(() -> {
            long from = jdbc.queryForObject("SELECT chain_index FROM audit_events WHERE seq = ?", Long.class,
                    victim.seq());
            jdbc.update("UPDATE audit_events SET details = '{\"amount\":1000}' WHERE seq = ?", victim.seq());
            rehashFrom(from);
            assertThat(AuditExportVerifier.verifyChain(store, null).intact()).as("re-hashed, the chain alone looks intact")
                    .isTrue();
            ChainVerification scheduled = audit.verifyChain();
            assertThat(scheduled.intact()).as("the application's own check reads the checkpoint file").isFalse();
            assertThat(scheduled.message()).contains("rewritten");

            var result = AuditExportVerifier.verifyChain(store, new CheckpointCheck(List.of(checkpoint), keys));
            assertThat(result.intact()).isFalse();
            assertThat(result.message()).contains(checkpoint.describe()).contains("rewritten");
        });
        var untouched = AuditExportVerifier.verifyChain(store, new CheckpointCheck(List.of(checkpoint), keys));
        assertThat(untouched.intact()).as(untouched.message()).isTrue();
        ChainVerification intact = audit.verifyChain();
        assertThat(intact.intact()).as(intact.message()).isTrue();
        assertThat(intact.message()).startsWith("Intact: ").contains("Checkpoints match");
    }

    @Test
    void droppingTheNewestEventsIsCaught() {
        record("test.checkpoint.newest", 3);
        AuditCheckpoint checkpoint = writer.write(false).orElseThrow();

        asSuperuserThenRollBack(() -> {
            // Unsealed ones too: sealed by the verification below, they would take the dropped positions.
            jdbc.update("DELETE FROM audit_events WHERE chain_index > ? OR hash IS NULL", checkpoint.position() - 2);
            assertThat(AuditExportVerifier.verifyChain(store, null).intact()).as("a shorter chain is still a valid chain")
                    .isTrue();
            assertThat(audit.verifyChain().message()).contains("newest events were removed");

            var result = AuditExportVerifier.verifyChain(store, new CheckpointCheck(List.of(checkpoint), keys));
            assertThat(result.intact()).isFalse();
            assertThat(result.message()).contains("the chain ends at position " + (checkpoint.position() - 2))
                    .contains("newest events were removed");
        });
    }

    @Test
    void aForgedOrAlteredCheckpointIsRefused() throws Exception {
        record("test.checkpoint.forged", 2);
        AuditCheckpoint genuine = writer.write(false).orElseThrow();
        String earlierHash = jdbc.queryForObject("SELECT hash FROM audit_events WHERE chain_index = ?", String.class,
                genuine.position() - 1);
        var moved = new AuditCheckpoint(genuine.position() - 1, earlierHash, genuine.checkpointedAt(), genuine.keyId(),
                genuine.mac());
        var otherKey = AuditCheckpoint.sign(genuine.position(), genuine.headHash(), genuine.checkpointedAt(),
                otherMasterKey());
        assertThat(genuine.signatureProblem(keys)).isNull();
        assertThat(moved.signatureProblem(keys)).contains("forged or altered");
        assertThat(otherKey.signatureProblem(keys)).isNotNull();

        var result = AuditExportVerifier.verifyChain(store, new CheckpointCheck(List.of(genuine, moved), keys));
        assertThat(result.intact()).isFalse();
        assertThat(result.message()).contains("(1 of 2)").contains(moved.describe() + ": its signature does not match");
    }

    @Test
    void theCommandLineChecksAnExportAgainstCheckpointFiles() throws Exception {
        record("test.checkpoint.cli", 2);
        AuditCheckpoint checkpoint = writer.write(false).orElseThrow();
        Path export = work.resolve("export.jsonl");
        List<String> lines = new ArrayList<>();
        store.streamChain(event -> lines.add(AuditJsonLines.line(event)));
        Files.write(export, lines);
        Path checkpoints = work.resolve("checkpoints.jsonl");
        Files.writeString(checkpoints, checkpoint.line() + "\n");

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int intact = AuditExportVerifier.run(new String[] {export.toString(), "--checkpoints", checkpoints.toString()},
                file -> keys, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(intact).as(out + " " + err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Intact").contains("Checkpoints match: 1 of 1");

        // The export without its newest events: what a dump taken after dropping them would hold.
        Files.write(export, lines.subList(0, (int) checkpoint.position() - 1));
        out.reset();
        int dropped = AuditExportVerifier.run(new String[] {export.toString(), "--checkpoints", checkpoints.toString()},
                file -> keys, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(dropped).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("newest events were removed");
    }

    @Test
    void theCommandLineChecksTheLiveDatabaseAgainstCheckpointFiles() throws Exception {
        record("test.checkpoint.cli-database", 2);
        AuditCheckpoint checkpoint = writer.write(false).orElseThrow();
        Path checkpoints = work.resolve("checkpoints.jsonl");
        Files.writeString(checkpoints, checkpoint.line() + "\n");
        String url = context.getBean(DataSource.class).unwrap(HikariDataSource.class).getJdbcUrl();

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = AuditExportVerifier.run(new String[] {"--database", url, "--checkpoints", checkpoints.toString()},
                file -> keys, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(out + " " + err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Intact").contains("Checkpoints match: 1 of 1");

        Files.writeString(checkpoints, checkpoint.line().replace(checkpoint.headHash(), ChainHasher.GENESIS) + "\n");
        out.reset();
        assertThat(AuditExportVerifier.run(new String[] {"--database", url, "--checkpoints", checkpoints.toString()},
                file -> keys, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("forged or altered");
    }

    @Test
    void checkpointsAreScheduledOnTheIntervalAndOneInstanceWritesPerInterval() {
        var tasks = context.getBeansOfType(ScheduledTaskHolder.class).values().stream()
                .flatMap(holder -> holder.getScheduledTasks().stream())
                .filter(task -> task.toString().contains("AuditCheckpointWriter.checkpointOnSchedule")).toList();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.getFirst().getTask()).isInstanceOfSatisfying(FixedDelayTask.class,
                task -> assertThat(task.getIntervalDuration()).isEqualTo(Duration.ofMinutes(10)));

        writer.write(false).orElseThrow();
        assertThat(writer.write(true)).as("one was written less than half an interval ago").isEmpty();
    }

    private void record(String action, int count) {
        for (int i = 0; i < count; i++) {
            audit.record(AuditActor.SYSTEM, AuditRecord.of(action, null).detail("i", i));
        }
    }

    /**
     * As whoever owns the database: the application's own role is made a superuser for the attack (triggers off, no
     * row-level security), inside one transaction that is rolled back, the chain lock held so no sealer interleaves.
     */
    private void asSuperuserThenRollBack(Runnable tampering) {
        JdbcTemplate superuser = DatabaseSuperuser.of(context);
        String role = jdbc.queryForObject("SELECT current_user", String.class);
        superuser.execute("ALTER ROLE " + role + " SUPERUSER");
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, AuditEventStore.CHAIN_LOCK);
                jdbc.execute("SET LOCAL session_replication_role = replica");
                try {
                    tampering.run();
                } finally {
                    status.setRollbackOnly();
                }
            });
        } finally {
            superuser.execute("ALTER ROLE " + role + " NOSUPERUSER");
        }
    }

    /** What an attacker with the database does after an edit: recomputes every hash and link from there on. */
    private void rehashFrom(long chainIndex) {
        String prev = chainIndex == 1 ? ChainHasher.GENESIS : jdbc.queryForObject(
                "SELECT hash FROM audit_events WHERE chain_index = ?", String.class, chainIndex - 1);
        List<AuditEvent> rest = new ArrayList<>();
        store.streamChain(event -> {
            if (event.chainIndex() >= chainIndex) {
                rest.add(event);
            }
        });
        for (AuditEvent event : rest) {
            String hash = ChainHasher.hash(event.withChain(event.chainIndex(), prev, ""));
            jdbc.update("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", prev, hash, event.seq());
            prev = hash;
        }
    }

    private BufferedReader wholeChainExport() {
        var lines = new StringBuilder();
        store.streamChain(event -> lines.append(AuditJsonLines.line(event)).append('\n'));
        return new BufferedReader(new StringReader(lines.toString()));
    }

    private static CheckpointKeys otherMasterKey() {
        var vault = new io.plugboard.crypto.SecretVault(MasterKeys.generate());
        return new CheckpointKeys() {
            @Override
            public int currentKeyId() {
                return vault.primaryKeyId();
            }

            @Override
            public byte[] key(int keyId) {
                return vault.derivedKey(keyId, "plugboard/audit-checkpoint/v1");
            }
        };
    }
}
