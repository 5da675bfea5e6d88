package io.plugboard.crypto.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.PollEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Paragraph;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.crypto.SecretVault;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@WithPortalUser("platform@plugboard.local")
class MasterKeyViewTest extends BrowserlessViewTest {

    private static final String RUN_BUTTON = "Re-encrypt all secrets with the primary key";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SecretVault vault;

    @Test
    void aStartedReEncryptionRunsInTheBackgroundAndThePageShowsHowItEnded() {
        navigate(MasterKeyView.class);
        test(find(Button.class).withText(RUN_BUTTON).single()).click();
        test(find(ConfirmDialog.class).single()).confirm();

        // The run may be over already (nothing to do in the shared database); a poll shows how it ended.
        UI ui = UI.getCurrent();
        await().atMost(Duration.ofSeconds(60)).until(() -> "FINISHED".equals(jdbc.queryForObject(
                "SELECT status FROM master_key_reencryptions ORDER BY started_at DESC LIMIT 1", String.class)));
        ComponentUtil.fireEvent(ui, new PollEvent(ui, true));

        assertThat(ui.getPollInterval()).as("and stops polling when it ended").isNegative();
        assertThat(runSummary()).startsWith("Finished").contains("started by platform@plugboard.local")
                .contains("to key " + vault.primaryKeyId());
        assertThat(find(Button.class).withText(RUN_BUTTON).single().isEnabled()).isTrue();
    }

    @Test
    void whileARunIsGoingOnElsewhereItsProgressShowsAndNoSecondOneCanStart() {
        UUID running = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update("""
                INSERT INTO master_key_reencryptions (id, primary_key_id, started_by, started_at, heartbeat_at, status)
                VALUES (?, ?, 'ops-elsewhere@plugboard.example', ?, ?, 'RUNNING')""",
                running, vault.primaryKeyId(), now, now);
        jdbc.update("""
                INSERT INTO master_key_reencryption_progress (run_id, position, kind, total, resealed, changed)
                VALUES (?, 0, 'Credentials (tokens, keys, passwords)', 1000, 400, 20)""", running);
        try {
            navigate(MasterKeyView.class);

            assertThat(runSummary()).startsWith("Running").contains("ops-elsewhere@plugboard.example")
                    .contains("420 of 1000");
            assertThat(find(Button.class).withText(RUN_BUTTON).single().isEnabled()).isFalse();
            assertThat(UI.getCurrent().getPollInterval()).as("the page follows the run").isPositive();
        } finally {
            jdbc.update("DELETE FROM master_key_reencryptions WHERE id = ?", running);
        }
    }

    private String runSummary() {
        return find(Paragraph.class).all().stream().map(Paragraph::getText)
                .filter(text -> text.startsWith("Running") || text.startsWith("Finished") || text.startsWith("Failed"))
                .findFirst().orElseThrow();
    }
}
