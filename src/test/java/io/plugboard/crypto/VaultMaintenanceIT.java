package io.plugboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** One re-encryption at a time, across instances; one whose instance stopped does not block the next. */
@PlugboardTest
class VaultMaintenanceIT {

    private static final String ELSEWHERE = "ops-elsewhere@plugboard.example";

    @Autowired
    VaultMaintenance maintenance;
    @Autowired
    SecretVault vault;
    @Autowired
    JdbcTemplate jdbc;

    private final UUID elsewhere = UUID.randomUUID();

    @BeforeEach
    void signIn() {
        SignedIn.as(jdbc, "platform@plugboard.local");
    }

    @AfterEach
    void cleanUp() {
        SignedIn.out();
        jdbc.update("DELETE FROM master_key_reencryptions WHERE id = ?", elsewhere);
    }

    @Test
    void aSecondRunIsRefusedWhileOneIsRunningOnAnotherInstance() {
        runningElsewhere(Instant.now().minusSeconds(5));

        assertThatThrownBy(maintenance::start).isInstanceOf(ReencryptionRunningException.class)
                .hasMessageContaining("started by " + ELSEWHERE).hasMessageContaining("still running");
        assertThatThrownBy(maintenance::resealAll).isInstanceOf(ReencryptionRunningException.class);

        assertThat(maintenance.status().run()).as("the page shows the running one")
                .satisfies(run -> assertThat(run.id()).isEqualTo(elsewhere));
    }

    @Test
    void aRunWhoseInstanceStoppedIsTakenOver() {
        runningElsewhere(Instant.now().minus(ReencryptionRuns.STALE_AFTER).minus(Duration.ofMinutes(1)));

        ReencryptionRun run = maintenance.resealAll();

        assertThat(run.status()).isEqualTo(ReencryptionRun.Status.FINISHED);
        assertThat(run.startedBy()).isEqualTo("platform@plugboard.local");
        assertThat(run.primaryKeyId()).isEqualTo(vault.primaryKeyId());
        assertThat(run.progress()).extracting(ReencryptionRun.Progress::kind).contains("Tenant API client secrets",
                "Credentials (tokens, keys, passwords)", "Webhook signing secrets");
        assertThat(jdbc.queryForMap("SELECT status, error FROM master_key_reencryptions WHERE id = ?", elsewhere))
                .containsEntry("status", "FAILED")
                .hasEntrySatisfying("error", error -> assertThat((String) error).startsWith("Interrupted"));
        assertThat(maintenance.status().run()).as("the latest").satisfies(latest ->
                assertThat(latest.id()).isEqualTo(run.id()));
    }

    private void runningElsewhere(Instant heartbeat) {
        OffsetDateTime at = OffsetDateTime.ofInstant(heartbeat, ZoneOffset.UTC);
        jdbc.update("""
                INSERT INTO master_key_reencryptions (id, primary_key_id, started_by, started_at, heartbeat_at, status)
                VALUES (?, ?, ?, ?, ?, 'RUNNING')""", elsewhere, vault.primaryKeyId(), ELSEWHERE, at, at);
    }
}
