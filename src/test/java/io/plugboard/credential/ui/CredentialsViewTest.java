package io.plugboard.credential.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.dom.Element;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.WithPortalUser;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.NewCredential;
import io.plugboard.tenant.TestTenants;
import io.plugboard.ui.Formats;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The credentials view without a browser, in the demo tenant: each test adds its own credentials for
 * an end user of its own, so filters can isolate them from everything else in the shared database.
 */
class CredentialsViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CredentialService credentials;
    @Autowired
    IntegrationService integrations;
    @Autowired
    ApplicationContext context;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String endUser = "vt-" + suffix;
    private final String hallVenue = "Hall " + suffix;
    private final String deckVenue = "Deck " + suffix;
    private final String hallSecret = "hall-secret-" + UUID.randomUUID();
    private UUID demo;
    private CredentialView hall;
    private CredentialView deck;
    private CredentialView boss;

    @BeforeEach
    void threeCredentialsOfOneEndUser() {
        demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        asAdmin(() -> {
            hall = credentials.create(demo, new NewCredential("roller", endUser, null, "View Test " + suffix,
                    "Hall label " + suffix, Map.of("clientId", "hall-client-" + suffix, "clientSecret", hallSecret),
                    Map.of("venue", hallVenue), null));
            deck = credentials.create(demo, new NewCredential("roller", endUser, null, null, "Deck label " + suffix,
                    Map.of("clientId", "deck-client-" + suffix, "clientSecret", "deck-secret-" + suffix),
                    Map.of("venue", deckVenue), null));
            boss = credentials.create(demo, new NewCredential("followupboss", endUser, null, null,
                    "Boss label " + suffix, Map.of("apiKey", "fub-key-" + suffix), Map.of(), null));
            return null;
        });
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void connectorAndStatusFiltersNarrowTheGrid() {
        navigate(CredentialsView.class);
        filterByEndUser(endUser);
        assertThat(ids()).containsExactlyInAnyOrder(hall.id(), deck.id(), boss.id());

        test(connectorFilter()).selectItem("ROLLER");
        assertThat(ids()).containsExactlyInAnyOrder(hall.id(), deck.id());
        assertThat(rows()).extracting(CredentialRow::appKey).containsOnly("roller");

        test(statusFilter()).selectItem("Revoked");
        assertThat(ids()).as("nothing revoked yet").isEmpty();

        asAdmin(() -> credentials.revoke(demo, deck.id()));
        test(statusFilter()).selectItem("Active");
        assertThat(ids()).containsExactly(hall.id());
        test(statusFilter()).selectItem("Revoked");
        assertThat(ids()).containsExactly(deck.id());

        test(connectorFilter()).selectItem("Follow Up Boss");
        assertThat(ids()).as("no revoked Follow Up Boss credential").isEmpty();
        statusFilter().clear();
        assertThat(ids()).containsExactly(boss.id());
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void metadataFilterNarrowsTheGridToOneVenue() {
        navigate(CredentialsView.class);
        filterByEndUser(endUser);
        test(metadataKeyFilter()).selectItem("venue");
        test(textField("Value")).setValue(hallVenue);
        assertThat(ids()).containsExactly(hall.id());

        test(textField("Value")).setValue(deckVenue);
        assertThat(ids()).containsExactly(deck.id());

        test(textField("Value")).setValue("No such venue " + suffix);
        assertThat(ids()).isEmpty();
        assertThat(countLabel()).isEqualTo("0 credentials");
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void detailPanelOpensAtItsUrlAndShowsEverythingButTheSecret() {
        navigate("credentials/" + hall.id(), CredentialsView.class);

        CredentialDetail detail = find(CredentialDetail.class).single();
        assertThat(detail.isVisible()).isTrue();
        String shown = detail.getElement().getTextRecursively();
        assertThat(shown).contains(hall.id(), "ROLLER", "Hall label " + suffix, endUser, "hall-client-" + suffix,
                "Active", "credential.created");
        assertThat(textField("Venue").getValue()).isEqualTo(hallVenue);
        // Nowhere in the page: not as text, attribute or property of any element.
        assertThat(everythingOnThePage()).noneMatch(s -> s.contains(hallSecret));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credentials WHERE id = ? AND secret IS NOT NULL",
                Long.class, hall.id())).as("the secret is stored").isOne();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void savingANewVenueUpdatesTheGridAndTheAuditTrail() {
        navigate("credentials/" + hall.id(), CredentialsView.class);
        filterByEndUser(endUser);
        String newVenue = "Garden " + suffix;

        test(textField("Venue")).setValue(newVenue);
        click("Save");

        assertThat(notifications()).contains("Saved");
        CredentialRow row = rows().stream().filter(c -> c.id().equals(hall.id())).findFirst().orElseThrow();
        assertThat(row.metadata()).containsEntry("venue", newVenue);
        GridTester<Grid<CredentialRow>, CredentialRow> grid = grid();
        int index = rows().indexOf(row);
        int metadataColumn = grid.getComponent().getColumns().stream().map(Grid.Column::getHeaderText).toList()
                .indexOf("Metadata");
        assertThat(grid.getCellText(index, metadataColumn)).isEqualTo("venue: " + newVenue);
        assertThat(jdbc.queryForObject("SELECT metadata->>'venue' FROM credentials WHERE id = ?", String.class,
                hall.id())).isEqualTo(newVenue);
        List<Map<String, Object>> events = jdbc.queryForList("""
                SELECT actor_label, details FROM audit_events
                WHERE action = 'credential.metadata.updated' AND target_id = ?""", hall.id());
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().get("actor_label")).isEqualTo("admin@demo.local");
        assertThat(events.getFirst().get("details").toString()).contains(hallVenue, newVenue);
        // The panel is redrawn with the saved value and its history.
        assertThat(textField("Venue").getValue()).isEqualTo(newVenue);
        assertThat(find(CredentialDetail.class).single().getElement().getTextRecursively())
                .contains("credential.metadata.updated");

        // The metadata filter finds it under the new venue only.
        test(metadataKeyFilter()).selectItem("venue");
        test(textField("Value")).setValue(newVenue);
        assertThat(ids()).containsExactly(hall.id());
        test(textField("Value")).setValue(hallVenue);
        assertThat(ids()).isEmpty();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void anEmptyRequiredVenueIsRefusedAndChangesNothing() {
        navigate("credentials/" + hall.id(), CredentialsView.class);

        test(textField("Venue")).setValue("");
        click("Save");

        assertThat(notifications()).anySatisfy(n -> assertThat(n).contains("Venue is required"))
                .doesNotContain("Saved");
        assertThat(jdbc.queryForObject("SELECT metadata->>'venue' FROM credentials WHERE id = ?", String.class,
                hall.id())).isEqualTo(hallVenue);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_events WHERE action = 'credential.metadata.updated' AND target_id = ?""",
                Long.class, hall.id())).isZero();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void revokeAsksForConfirmationThenRevokesAndDestroysTheSecret() {
        navigate("credentials/" + hall.id(), CredentialsView.class);
        filterByEndUser(endUser);

        click("Revoke credential");
        ConfirmDialog confirm = find(ConfirmDialog.class).single();
        assertThat(test(confirm).getHeader()).isEqualTo("Revoke this ROLLER credential?");
        test(confirm).cancel();
        assertThat(status(hall.id())).as("cancel changes nothing").isEqualTo("ACTIVE");

        click("Revoke credential");
        test(find(ConfirmDialog.class).single()).confirm();

        assertThat(status(hall.id())).isEqualTo("REVOKED");
        assertThat(jdbc.queryForObject("SELECT secret IS NULL FROM credentials WHERE id = ?", Boolean.class,
                hall.id())).as("secret column NULL").isTrue();
        assertThat(jdbc.queryForObject("SELECT revoked_by FROM credentials WHERE id = ?", String.class, hall.id()))
                .isEqualTo("admin@demo.local");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_events WHERE action = 'credential.revoked' AND target_id = ?""",
                Long.class, hall.id())).isOne();
        assertThat(rows().stream().filter(c -> c.id().equals(hall.id())).findFirst().orElseThrow().status())
                .isEqualTo(CredentialStatus.REVOKED);
        // The panel now shows the revoked credential, with nothing left to edit or revoke.
        assertThat(find(CredentialDetail.class).single().getElement().getTextRecursively())
                .contains("Revoked here · at provider: not supported", "by admin@demo.local");
        assertThat(find(Button.class).withText("Save").exists()).isFalse();
        assertThat(find(Button.class).withText("Revoke credential").exists()).isFalse();
        assertThat(status(deck.id())).as("only that one").isEqualTo("ACTIVE");
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void theDetailAndTheGridShowWhatBecameOfTheRevocationAtTheProvider() {
        asAdmin(() -> credentials.revoke(demo, hall.id()));
        // As the retries leave a revocation the provider kept refusing.
        jdbc.update("""
                UPDATE provider_revocations SET status = 'FAILED', attempts = 3, last_attempt_at = now(),
                    last_error = 'HTTP 401 invalid_client' WHERE credential_id = ?""", hall.id());

        navigate("credentials/" + hall.id(), CredentialsView.class);
        filterByEndUser(endUser);

        assertThat(find(CredentialDetail.class).single().getElement().getTextRecursively())
                .contains("Revoked here · at provider: failed", "3 attempts", "(HTTP 401 invalid_client)");
        var grid = grid();
        assertThat(grid.getLitRendererPropertyValue(ids().indexOf(hall.id()), "status", "status", String.class))
                .isEqualTo("Revoked here · at provider: failed");
        assertThat(grid.getLitRendererPropertyValue(ids().indexOf(deck.id()), "status", "status", String.class))
                .as("not revoked: nothing about the provider").isEqualTo("Active");
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void anotherTenantsCredentialIsNotFoundAndShowsNothingOfIt() {
        var other = TestTenants.create(context, "cv");
        String otherLabel = "Other tenant label " + suffix;
        String otherEndUser = "other-" + suffix;
        CredentialView foreign = as(other.adminEmail(), () -> {
            integrations.update(other.id(), "followupboss", new IntegrationUpdate(true, null, null, List.of()));
            return credentials.create(other.id(), new NewCredential("followupboss", otherEndUser, null, null,
                    otherLabel, Map.of("apiKey", "other-key-" + suffix), Map.of(), null));
        });

        navigate("credentials/" + foreign.id(), CredentialsView.class);

        assertThat(notifications()).contains("Credential not found.");
        assertThat(detailPanel().isVisible()).isFalse();
        assertThat(everythingOnThePage()).noneMatch(s -> s.contains(otherLabel) || s.contains(otherEndUser));
        test(textField("Search")).setValue(foreign.id());
        assertThat(ids()).isEmpty();
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void anAuditorSeesTheDetailButCannotSaveOrRevoke() {
        navigate("credentials/" + hall.id(), CredentialsView.class);

        assertThat(find(CredentialDetail.class).single().isVisible()).isTrue();
        assertThat(textField("Venue").getValue()).isEqualTo(hallVenue);
        assertThat(textField("Venue").isReadOnly()).isTrue();
        for (String action : List.of("Save", "Revoke credential", "Reconnect", "Test")) {
            assertThat(find(Button.class).withText(action).exists()).as(action).isFalse();
        }
        assertThat(find(Button.class).withTextContaining("Revoke").exists()).as("no bulk revoke").isFalse();
        assertThat(grid().getComponent().getSelectionMode()).isNotEqualTo(Grid.SelectionMode.MULTI);
        filterByEndUser(endUser);
        assertThat(ids()).containsExactlyInAnyOrder(hall.id(), deck.id(), boss.id());
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void theLessUsedFiltersAreBuiltWhenAskedForAndKeepApplyingWhileHidden() {
        navigate(CredentialsView.class);
        assertThat(find(TextField.class).withLabel("End user id").exists()).as("not built yet").isFalse();
        assertThat(find(DatePicker.class).exists()).isFalse();
        assertThat(moreFilters().getElement().getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(moreFilters().getElement().getAttribute("aria-controls")).isEqualTo("more-filters");

        test(moreFilters()).click();
        assertThat(moreFilters().getElement().getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(find(DatePicker.class).all()).extracting(DatePicker::getLabel)
                .containsExactly("Created from", "Created to");
        test(textField("End user id")).setValue(endUser);
        assertThat(ids()).containsExactlyInAnyOrder(hall.id(), deck.id(), boss.id());
        assertThat(moreFilters().getText()).isEqualTo("More filters (1 active)");

        test(moreFilters()).click();
        assertThat(moreFilters().getElement().getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(find(TextField.class).withLabel("End user id").exists()).as("hidden").isFalse();
        test(connectorFilter()).selectItem("ROLLER");
        assertThat(ids()).as("the hidden end-user filter still applies").containsExactlyInAnyOrder(hall.id(), deck.id());

        test(moreFilters()).click();
        assertThat(textField("End user id").getValue()).isEqualTo(endUser);
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void theCreatedRangeNarrowsTheGrid() {
        navigate(CredentialsView.class);
        filterByEndUser(endUser);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        DatePicker from = find(DatePicker.class).withLabel("Created from").single();
        DatePicker to = find(DatePicker.class).withLabel("Created to").single();

        test(from).setValue(today.plusDays(1));
        assertThat(ids()).isEmpty();
        assertThat(moreFilters().getText()).isEqualTo("More filters (2 active)");
        test(from).setValue(today.minusDays(1));
        test(to).setValue(today);
        assertThat(ids()).containsExactlyInAnyOrder(hall.id(), deck.id(), boss.id());
        test(to).setValue(today.minusDays(1));
        assertThat(ids()).isEmpty();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void theGridShowsEveryFieldInSixColumnsAndSortsByCreated() {
        asAdmin(() -> credentials.revoke(demo, deck.id()));
        navigate(CredentialsView.class);
        filterByEndUser(endUser);
        var grid = grid();
        assertThat(grid.getComponent().getColumns()).extracting(Grid.Column::getHeaderText)
                .containsExactly("Connector · label", "End user", "Status", "Metadata", "Created", "Activity");
        assertThat(grid.isColumnSortable("created")).isTrue();
        int row = ids().indexOf(deck.id());
        assertThat(grid.getLitRendererPropertyValue(row, "connector", "name", String.class)).isEqualTo("ROLLER");
        assertThat(grid.getLitRendererPropertyValue(row, "connector", "detail", String.class))
                .isEqualTo("Deck label " + suffix);
        assertThat(grid.getCellText(row, grid.getColumnPosition("endUser"))).isEqualTo(endUser);
        assertThat(grid.getLitRendererPropertyValue(row, "status", "status", String.class))
                .as("a client-credentials connector has nothing to revoke at the provider")
                .isEqualTo("Revoked here · at provider: not supported");
        assertThat(grid.getLitRendererPropertyValue(row, "status", "tone", String.class)).isEqualTo("bad");
        assertThat(grid.getLitRendererPropertyValue(row, "status", "check", String.class)).as("never checked").isEmpty();
        assertThat(grid.getCellText(row, grid.getColumnPosition("metadata"))).isEqualTo("venue: " + deckVenue);
        assertThat(grid.getLitRendererPropertyValue(row, "created", "day", String.class) + " "
                + grid.getLitRendererPropertyValue(row, "created", "time", String.class))
                .isEqualTo(Formats.dateTime(deck.createdAt()));
        assertThat(grid.getLitRendererPropertyValue(row, "activity", "used", String.class)).isEqualTo("—");
        assertThat(grid.getLitRendererPropertyValue(row, "activity", "refreshed", String.class)).isEqualTo("—");
        assertThat(grid.getLitRendererPropertyValue(row, "activity", "expires", String.class)).isEqualTo("—");

        List<String> newestFirst = ids();
        grid.sortByColumn("created", SortDirection.ASCENDING);
        assertThat(ids()).containsExactlyElementsOf(newestFirst.reversed());
    }

    // ------------------------------------------------------------------ helpers

    private <T> T asAdmin(Supplier<T> action) {
        return as("admin@demo.local", action);
    }

    private <T> T as(String email, Supplier<T> action) {
        SecurityContext signedIn = SecurityContextHolder.getContext();
        try {
            SignedIn.as(jdbc, email);
            return action.get();
        } finally {
            SecurityContextHolder.setContext(signedIn);
        }
    }

    /** The detail panel, visible or not (queries find visible components only). */
    private CredentialDetail detailPanel() {
        return descendants((Component) getCurrentView()).filter(CredentialDetail.class::isInstance).map(CredentialDetail.class::cast)
                .findFirst().orElseThrow();
    }

    private static Stream<Component> descendants(
            Component root) {
        return Stream.concat(Stream.of(root),
                root.getChildren().flatMap(CredentialsViewTest::descendants));
    }

    private String status(String id) {
        return jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, id);
    }

    /** The end-user filter is one of those behind "More filters". */
    private void filterByEndUser(String id) {
        if (!find(TextField.class).withLabel("End user id").exists()) {
            click("More filters");
        }
        test(textField("End user id")).setValue(id);
    }

    private Button moreFilters() {
        return find(Button.class).withClassName("more-filters").single();
    }

    private TextField textField(String label) {
        return find(TextField.class).withLabel(label).single();
    }

    @SuppressWarnings("unchecked")
    private ComboBox<Object> connectorFilter() {
        return find(ComboBox.class).withLabel("Connector").single();
    }

    @SuppressWarnings("unchecked")
    private ComboBox<String> metadataKeyFilter() {
        return find(ComboBox.class).withLabel("Metadata").single();
    }

    @SuppressWarnings("unchecked")
    private Select<CredentialStatus> statusFilter() {
        return find(Select.class).withLabel("Status").single();
    }

    private void click(String caption) {
        test(find(Button.class).withText(caption).single()).click();
    }

    private String countLabel() {
        return find(Span.class).withClassName("count-label").single().getText();
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<CredentialRow>, CredentialRow> grid() {
        return test((Grid<CredentialRow>) find(Grid.class).single());
    }

    private List<CredentialRow> rows() {
        var grid = grid();
        var rows = new ArrayList<CredentialRow>();
        for (int i = 0; i < grid.size(); i++) {
            rows.add(grid.getRow(i));
        }
        return rows;
    }

    private List<String> ids() {
        return rows().stream().map(CredentialRow::id).toList();
    }

    private List<String> notifications() {
        return find(Notification.class).all().stream().map(n -> test(n).getText()).toList();
    }

    /** Every text, attribute and property value of every element in the UI. */
    private static List<String> everythingOnThePage() {
        var found = new ArrayList<String>();
        collect(UI.getCurrent().getElement(), found);
        return found;
    }

    private static void collect(Element element, List<String> found) {
        found.add(element.getText());
        element.getAttributeNames().forEach(name -> found.add(String.valueOf(element.getAttribute(name))));
        element.getPropertyNames().forEach(name -> found.add(String.valueOf(element.getPropertyRaw(name))));
        element.getChildren().forEach(child -> collect(child, found));
    }
}
