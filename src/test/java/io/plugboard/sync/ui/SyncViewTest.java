package io.plugboard.sync.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.IntegerField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.NewCredential;
import io.plugboard.security.AppRoles;
import io.plugboard.sync.SyncService;
import io.plugboard.sync.SyncSettings;
import io.plugboard.sync.SyncStatus;
import io.plugboard.tenant.NewUser;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.tenant.UserScope;
import io.plugboard.tenant.UserService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Sync page without a browser, in a fresh tenant with a Follow Up Boss credential (a stand-in connector that
 * {@code plugboard.universal.connector-mappings} maps to {@code followupboss}). The tests' background worker is
 * off, so what the page shows is what it configured: nothing runs behind it.
 */
class SyncViewTest extends BrowserlessViewTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SyncService sync;
    @Autowired
    CredentialService credentials;

    private TestTenant tenant;
    private String auditor;
    private String credential;

    @BeforeEach
    void tenantWithAFollowUpBossCredential() {
        tenant = TestTenants.create(context, "syncview");
        auditor = "auditor@" + tenant.slug() + ".example";
        SignedIn.as(jdbc, tenant.adminEmail());
        var customs = context.getBean(CustomConnectorService.class);
        customs.save(tenant.id(), customs.parse("""
                appKey: fub-standin
                name: Follow Up Boss
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://api.followupboss.example/v1
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """));
        context.getBean(IntegrationService.class).update(tenant.id(), "fub-standin",
                new IntegrationUpdate(true, null, null, List.of()));
        credential = credentials.create(tenant.id(), new NewCredential("fub-standin", "marcus", null, null,
                "Marcus's Follow Up Boss", Map.of("apiKey", "fub-key"), Map.of(), null)).id();
        context.getBean(UserService.class).create(UserScope.tenant(tenant.id()),
                new NewUser(auditor, "Audrey Auditor", AppRoles.AUDITOR, "an-auditor-password-long-enough"));
    }

    @Test
    void anAdminTurnsOnSyncForChosenModelsAndSeesEachModelsStatus() {
        navigate(SyncView.class);
        test(find(Button.class).withText("Turn on sync").single()).click();
        CredentialView chosen = credentials.get(tenant.id(), credential);
        comboBox().setValue(chosen);
        CheckboxGroup<String> models = modelBoxes();
        assertThat(models.getListDataView().getItems().toList()).contains("people", "notes");
        assertThat(models.getValue()).as("people is offered first").containsExactly("people");
        models.setValue(Set.of("people", "notes"));
        test(find(IntegerField.class).withLabel("Every (minutes)").single()).setValue(30);
        test(find(Button.class).withText("Start syncing").single()).click();

        assertThat(jdbc.queryForList("SELECT model || ':' || frequency_minutes FROM sync_states WHERE credential_id = ? "
                + "AND enabled ORDER BY model", String.class, credential)).containsExactly("notes:30", "people:30");
        assertThat(audited("sync.configured")).isEqualTo(1);
        GridTester<Grid<SyncStatus>, SyncStatus> grid = statusGrid();
        assertThat(grid.size()).isEqualTo(2);
        assertThat(grid.getCellText(0, grid.getColumnPosition("model"))).isEqualTo("people");
        assertThat(grid.getRow(0).state()).isEqualTo("scheduled");
        assertThat(grid.getRow(0).phase()).isEqualTo("backfill");
        assertThat(grid.getCellText(0, grid.getColumnPosition("frequency"))).isEqualTo("30 minutes");
        assertThat(grid.getCellText(0, grid.getColumnPosition("records"))).isEqualTo("0");
    }

    @Test
    void aFrequencyOutOfRangeIsExplainedInTheDialogAndNothingIsSaved() {
        navigate(SyncView.class);
        test(find(Button.class).withText("Turn on sync").single()).click();
        comboBox().setValue(credentials.get(tenant.id(), credential));
        // The field's own bounds stop a browser from sending 0; the service's rule is what holds when one does.
        find(IntegerField.class).withLabel("Every (minutes)").single().setValue(0);
        test(find(Button.class).withText("Start syncing").single()).click();

        assertThat(find(Span.class).withClassName("form-error").single().getText()).startsWith("frequencyMinutes:");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_states WHERE credential_id = ?", Long.class,
                credential)).isZero();
    }

    @Test
    void pauseResumeAndRunNowGoThroughTheServiceAndAreAudited() {
        sync.configure(tenant.id(), credential, new SyncSettings(List.of("people"), 15));
        jdbc.update("UPDATE sync_states SET next_run_at = now() + interval '1 hour' WHERE credential_id = ?", credential);
        navigate(SyncView.class);

        test(find(Button.class).withText("Pause").single()).click();
        assertThat(statusGrid().getRow(0).state()).isEqualTo("paused");
        assertThat(find(Button.class).withText("Run now").single().isEnabled()).as("a paused sync does not run").isFalse();
        test(find(Button.class).withText("Resume").single()).click();
        assertThat(statusGrid().getRow(0).state()).isEqualTo("scheduled");
        test(find(Button.class).withText("Run now").single()).click();

        assertThat(jdbc.queryForObject("SELECT next_run_at <= now() FROM sync_states WHERE credential_id = ?",
                Boolean.class, credential)).isTrue();
        assertThat(audited("sync.paused")).isEqualTo(1);
        assertThat(audited("sync.resumed")).isEqualTo(1);
        assertThat(audited("sync.run.requested")).isEqualTo(1);
    }

    @Test
    void anAuditorSeesTheStatusButNoActions() {
        sync.configure(tenant.id(), credential, new SyncSettings(List.of("people"), 15));
        jdbc.update("UPDATE sync_states SET consecutive_failures = 2, last_error = 'Follow Up Boss failed (500)', "
                + "last_error_at = now() WHERE credential_id = ?", credential);
        SignedIn.as(jdbc, auditor);
        navigate(SyncView.class);

        var grid = statusGrid();
        assertThat(grid.getRow(0).state()).isEqualTo("failing");
        assertThat(grid.getCellText(0, grid.getColumnPosition("error"))).startsWith("Follow Up Boss failed (500)")
                .contains("2 failures in a row");
        for (String action : List.of("Turn on sync", "Run now", "Pause", "Resume", "Settings")) {
            assertThat(find(Button.class).withText(action).exists()).as(action).isFalse();
        }
        assertThat(navigationEntries()).contains("Sync");
    }

    @Test
    void customerSuccessReadsUntilChangesAreEnabledThenPausesAsAnAdminWould() {
        sync.configure(tenant.id(), credential, new SyncSettings(List.of("people"), 15));
        SignedIn.as(jdbc, "support@plugboard.local");
        var supportSwitch = context.getBean(SupportSwitchService.class);
        supportSwitch.switchTo(tenant.id(), "Ticket " + UUID.randomUUID() + ": customer asks why sync stopped");
        navigate(SyncView.class);
        assertThat(statusGrid().size()).isOne();
        assertThat(find(Button.class).withText("Pause").exists()).as("read-only until changes are enabled").isFalse();

        supportSwitch.enableChanges();
        // Away and back: navigating to the page it is on keeps the view built for read-only access.
        UI.getCurrent().navigate("credentials");
        navigate(SyncView.class);
        test(find(Button.class).withText("Pause").single()).click();
        assertThat(statusGrid().getRow(0).state()).isEqualTo("paused");
        assertThat(audited("sync.paused")).isEqualTo(1);
    }

    @Test
    void manySyncedCredentialsShowAPageAtATimeNewestFirst() {
        var created = new java.util.ArrayList<String>();
        for (int i = 0; i < SyncView.PAGE + 2; i++) {
            String id = credentials.create(tenant.id(), new NewCredential("fub-standin", "agent-" + i, null, null,
                    "Agent " + i, Map.of("apiKey", "fub-key-" + i), Map.of(), null)).id();
            sync.configure(tenant.id(), id, new SyncSettings(List.of("people"), 60));
            created.add(id);
        }
        navigate(SyncView.class);

        List<Div> cards = find(Div.class).withClassName("sync-card").all();
        assertThat(cards).hasSize(SyncView.PAGE);
        assertThat(cards.getFirst().getElement().getAttribute("data-credential")).isEqualTo(created.getLast());
        test(find(Button.class).withText("Show more").single()).click();

        cards = find(Div.class).withClassName("sync-card").all();
        assertThat(cards).hasSize(SyncView.PAGE + 2);
        assertThat(cards.getLast().getElement().getAttribute("data-credential")).isEqualTo(created.getFirst());
        assertThat(find(Button.class).withText("Show more").exists()).isFalse();
    }

    @Test
    void theCredentialDetailShowsTheSameStatusPerModel() {
        sync.configure(tenant.id(), credential, new SyncSettings(List.of("people", "notes"), 15));
        navigate(SyncView.class);
        UI.getCurrent().navigate("credentials/" + credential);

        Div section = find(Div.class).withClassName("credential-sync").single();
        assertThat(section.getElement().getChildren().flatMap(e -> e.getChildren())
                .filter(e -> e.hasAttribute("data-model")).map(e -> e.getAttribute("data-model")))
                .containsExactly("people", "notes");
        assertThat(section.getElement().getTextRecursively()).contains("people · backfill · every 15 minutes",
                "0 records");
    }

    @Test
    void aRevokedCredentialSaysWhenItsSyncedRecordsAreDeleted() {
        sync.configure(tenant.id(), credential, new SyncSettings(List.of("people"), 15));
        credentials.revoke(tenant.id(), credential);
        jdbc.update("UPDATE credentials SET revoked_at = '2026-12-01T10:00:00Z' WHERE id = ?", credential);
        navigate(SyncView.class);

        Span onPage = find(Span.class).withClassName("sync-purge").single();
        assertThat(onPage.getText()).startsWith("Revoked: synced records deleted on ").contains("2026-12-31");

        UI.getCurrent().navigate("credentials/" + credential);
        Div section = find(Div.class).withClassName("credential-sync").single();
        assertThat(section.getElement().getTextRecursively()).contains("synced records deleted on").contains("2026-12-31");
    }

    // ------------------------------------------------------------------ helpers

    private long audited(String action) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? AND action = ? "
                + "AND target_id = ?", Long.class, tenant.id(), action, credential);
    }

    @SuppressWarnings("unchecked")
    private ComboBox<CredentialView> comboBox() {
        return find(ComboBox.class).withLabel("Credential").single();
    }

    @SuppressWarnings("unchecked")
    private CheckboxGroup<String> modelBoxes() {
        return find(CheckboxGroup.class).withLabel("Models").single();
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<SyncStatus>, SyncStatus> statusGrid() {
        return test((Grid<SyncStatus>) find(SyncStatusGrid.class).single());
    }
}
