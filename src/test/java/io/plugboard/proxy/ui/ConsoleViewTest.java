package io.plugboard.proxy.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.VaadinSession;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.WithPortalUser;
import io.plugboard.common.NotFoundException;
import io.plugboard.credential.CredentialView;
import io.plugboard.proxy.ApiConsole;
import io.plugboard.proxy.CallHistory;
import io.plugboard.proxy.ConsoleRun;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

/**
 * The API console without a browser, against a fresh tenant whose custom connector's API is a WireMock
 * server. Runs happen on virtual threads that report back through {@code UI.access}; browserless holds
 * the session lock on the test thread, so those tasks wait in the session's queue until a
 * {@link #roundTrip()} lets them run, as a browser's poll would.
 */
class ConsoleViewTest extends BrowserlessViewTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static WireMockServer provider;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApiConsole console;

    private ConsoleFixture fixture;

    @BeforeAll
    static void startProvider() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @BeforeEach
    void tenantWithThreeCredentials() {
        fixture = ConsoleFixture.create(context, provider, "console", 401);
    }

    @Test
    void runsTheTestRequestForEachSelectedCredentialAndShowsTheirStatuses() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        GridTester<Grid<CredentialView>, CredentialView> picker = picker();
        assertThat(picker.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            select(fixture.id(i));
        }

        assertThat(picker.getSelected()).extracting(CredentialView::id)
                .containsExactlyInAnyOrder(fixture.id(0), fixture.id(1), fixture.id(2));
        assertThat(field("Path").getValue()).as("prefilled with the connector's test request").isEqualTo("/ping");
        assertThat(method().getValue()).isEqualTo("GET");
        Button run = find(Button.class).withText("Run for 3").single();
        test(run).click();

        Map<String, ConsoleRun> results = awaitResults(3);
        assertThat(results.get(fixture.id(0)).status()).isEqualTo(200);
        assertThat(results.get(fixture.id(1)).status()).isEqualTo(200);
        assertThat(results.get(fixture.id(2)).status()).isEqualTo(401);
        assertThat(results.values()).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(results.get(fixture.id(0)).bodyPreview()).contains("\"owner\" : \"alpha\"");
        assertThat(results.get(fixture.id(2)).bodyPreview()).contains("\"owner\" : \"charlie\"");
        assertThat(results.get(fixture.id(1)).headers()).containsKey("X-Probe-Owner");

        // The status column as the admin sees it: the code, coloured by class.
        GridTester<Grid<ConsoleRun>, ConsoleRun> grid = resultsGrid();
        int statusColumn = columnIndex(grid.getComponent(), "Status");
        var badges = new LinkedHashMap<String, Span>();
        for (int i = 0; i < grid.size(); i++) {
            badges.put(grid.getRow(i).credentialId(), (Span) grid.getCellComponent(i, statusColumn));
        }
        assertThat(badges.get(fixture.id(0)).getText()).isEqualTo("200");
        assertThat(badges.get(fixture.id(0)).getClassNames()).contains("badge", "ok");
        assertThat(badges.get(fixture.id(2)).getText()).isEqualTo("401");
        assertThat(badges.get(fixture.id(2)).getClassNames()).contains("badge", "bad");
        assertThat(grid.getCellText(0, columnIndex(grid.getComponent(), "Credential"))).startsWith(fixture.connectorName());

        // Finished: progress complete, Run usable again, Cancel not.
        assertThat(find(Span.class).withText("3 of 3").exists()).isTrue();
        assertThat(run.isEnabled()).isTrue();
        assertThat(find(Button.class).withText("Cancel").single().isEnabled()).isFalse();

        // Each credential's own key reached the provider, once, with the connector's fixed header.
        for (int i = 0; i < 3; i++) {
            provider.verify(1, getRequestedFor(urlPathEqualTo(fixture.pingPath()))
                    .withHeader("X-Api-Key", equalTo(fixture.keys().get(i)))
                    .withHeader("X-Probe-Version", equalTo("1")));
        }
    }

    @Test
    void theRunIsAuditedOnceWithTheCredentialIdsMethodAndPath() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(0));
        select(fixture.id(2));
        test(find(Button.class).withText("Run for 2").single()).click();
        awaitResults(2);

        List<Map<String, Object>> events = jdbc.queryForList("""
                SELECT actor_label, target_type, details FROM audit_events
                WHERE tenant_id = ? AND action = 'console.run'""", fixture.tenant().id());
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().get("actor_label")).isEqualTo(fixture.tenant().adminEmail());
        String details = events.getFirst().get("details").toString();
        assertThat(details).contains(fixture.id(0), fixture.id(2), "\"GET\"", "\"/ping\"")
                .doesNotContain(fixture.id(1));
    }

    @Test
    void composesMethodPathQueryHeadersAndBody() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(1));
        test(method()).selectItem("POST");
        test(field("Path")).setValue("/ping");
        test(field("Query")).setValue("limit=5&q=a%20b");
        test(area("Headers")).setValue("Accept: application/json\nX-Trace: console-" + fixture.tenant().slug()
                + "\nAuthorization: Bearer stolen\nnot a header");
        test(area("JSON body")).setValue("{\"hello\": \"world\"}");
        test(find(Button.class).withText("Run for 1").single()).click();

        assertThat(awaitResults(1).get(fixture.id(1)).status()).isEqualTo(200);
        provider.verify(1, postRequestedFor(urlPathEqualTo(fixture.pingPath()))
                .withQueryParam("limit", equalTo("5"))
                .withQueryParam("q", equalTo("a b"))
                .withHeader("X-Api-Key", equalTo(fixture.keys().get(1)))
                .withHeader("X-Trace", equalTo("console-" + fixture.tenant().slug()))
                .withHeader("Authorization", absent())
                .withRequestBody(equalToJson("{\"hello\": \"world\"}")));
    }

    @Test
    void aSavedTemplateRefillsTheComposerAndRunsTheSame() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(0));
        test(method()).selectItem("POST");
        test(field("Path")).setValue("/ping");
        test(field("Query")).setValue("limit=7");
        test(area("Headers")).setValue("X-Trace: template");
        test(area("JSON body")).setValue("{\"from\": \"template\"}");
        test(find(Button.class).withText("Save as template…").single()).click();
        test(find(TextField.class).withLabel("Name").single()).setValue("Ping with body");
        test(find(Button.class).withText("Save").single()).click();

        // Start over in a fresh view: the template is stored for the connector, not kept in the page.
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(0));
        test(templatePicker()).selectItem(fixture.connectorName() + " · Ping with body");
        assertThat(method().getValue()).isEqualTo("POST");
        assertThat(field("Query").getValue()).isEqualTo("limit=7");
        test(find(Button.class).withText("Run for 1").single()).click();
        assertThat(awaitResults(1).get(fixture.id(0)).status()).isEqualTo(200);
        provider.verify(postRequestedFor(urlPathEqualTo(fixture.pingPath())).withQueryParam("limit", equalTo("7"))
                .withHeader("X-Trace", equalTo("template")).withRequestBody(equalToJson("{\"from\": \"template\"}")));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? AND action = 'console.template.saved'",
                Long.class, fixture.tenant().id())).isOne();
    }

    @Test
    void templatesRefuseCredentialHeadersAndStayInTheirTenant(@Autowired io.plugboard.proxy.RequestTemplates templates) {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        String appKey = fixture.credentials().getFirst().appKey();
        var withSecret = new ApiConsole.ConsoleRequest("GET", "/ping", null,
                Map.of("Authorization", List.of("Bearer secret")), null);
        assertThatThrownBy(() -> templates.save(fixture.tenant().id(), appKey, "Leaky", withSecret, "Authorization: Bearer secret"))
                .hasMessageContaining("no credentials");
        var saved = templates.save(fixture.tenant().id(), appKey, "Plain", new ApiConsole.ConsoleRequest("GET", "/ping",
                null, Map.of(), null), "");
        assertThatThrownBy(() -> templates.save(fixture.tenant().id(), appKey, "plain", new ApiConsole.ConsoleRequest(
                "GET", "/other", null, Map.of(), null), "")).hasMessageContaining("already");

        SignedIn.as(jdbc, "admin@demo.local");
        UUID demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        assertThat(templates.list(demo, List.of(appKey))).noneMatch(t -> t.id().equals(saved.id()));
        assertThatThrownBy(() -> templates.list(fixture.tenant().id(), List.of())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> templates.delete(fixture.tenant().id(), saved.id())).isInstanceOf(NotFoundException.class);
        templates.delete(demo, saved.id());
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        assertThat(templates.list(fixture.tenant().id(), List.of(appKey))).extracting(t -> t.name()).containsExactly("Plain");
    }

    @Test
    void aQueryThatIsNoValidUrlShowsAnErrorRowInsteadOfNothing() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(0));
        select(fixture.id(1));
        test(field("Query")).setValue("q=two words");
        test(find(Button.class).withText("Run for 2").single()).click();

        Map<String, ConsoleRun> results = awaitResults(2);
        assertThat(results.values()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error()).contains("encoded");
        });
        provider.verify(0, getRequestedFor(urlPathEqualTo(fixture.pingPath())));
    }

    @Test
    void theResultDetailsShowTheHeadersAndThePrettyBody() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(0));
        test(find(Button.class).withText("Run for 1").single()).click();
        ConsoleRun alpha = awaitResults(1).get(fixture.id(0));

        // The browser opens a row's details on click; here the details renderer's component is built directly.
        var details = new ConsoleResultDetails(alpha);
        String text = details.getChildren().filter(Pre.class::isInstance)
                .map(c -> ((Pre) c).getText()).collect(Collectors.joining("\n"));
        assertThat(text).contains("X-Probe-Owner: alpha", "{\n  \"owner\" : \"alpha\",\n  \"status\" : 200\n}");
        assertThat(details.getElement().getTextRecursively()).contains("Request " + alpha.requestId());
    }

    @Test
    void whenARunEndsOutsideAnyRequestTheHistoryListsItsCalls() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(1));
        Button run = find(Button.class).withText("Run for 1").single();
        test(run).click();

        // In a live portal no request holds the session while the call runs: the worker thread takes the
        // lock and runs its UI.access tasks itself. Release browserless's lock to get exactly that.
        VaadinSession session = VaadinSession.getCurrent();
        session.unlock();
        try {
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (!run.isEnabled() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session.lock();
        }
        roundTrip();

        assertThat(run.isEnabled()).as("run finished").isTrue();
        assertThat(resultsGrid().size()).isEqualTo(1);
        GridTester<Grid<CallHistory.Call>, CallHistory.Call> history = historyGrid();
        var calls = new java.util.ArrayList<CallHistory.Call>();
        for (int i = 0; i < history.size(); i++) {
            calls.add(history.getRow(i));
        }
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.credentialId()).isEqualTo(fixture.id(1));
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.path()).isEqualTo("/ping");
            assertThat(call.actor()).isEqualTo(fixture.tenant().adminEmail());
        });
    }

    @Test
    void aCredentialRevokedBeforeTheRunShowsItsRefusalInTheResultsAndTheHistory() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(ConsoleView.class);
        test(connectorFilter()).selectItem(fixture.connectorName());
        select(fixture.id(0));
        select(fixture.id(1));
        context.getBean(io.plugboard.credential.CredentialService.class).revoke(fixture.tenant().id(), fixture.id(1));
        test(find(Button.class).withText("Run for 2").single()).click();

        Map<String, ConsoleRun> results = awaitResults(2);
        assertThat(results.get(fixture.id(0)).status()).isEqualTo(200);
        assertThat(results.get(fixture.id(1)).status()).isEqualTo(409);
        assertThat(results.get(fixture.id(1)).error()).isNotBlank();
        GridTester<Grid<ConsoleRun>, ConsoleRun> grid = resultsGrid();
        int badgeColumn = columnIndex(grid.getComponent(), "Status");
        for (int i = 0; i < grid.size(); i++) {
            if (grid.getRow(i).credentialId().equals(fixture.id(1))) {
                Span badge = (Span) grid.getCellComponent(i, badgeColumn);
                assertThat(badge.getText()).startsWith("409 · ");
                assertThat(badge.getClassNames()).contains("bad");
            }
        }

        GridTester<Grid<CallHistory.Call>, CallHistory.Call> history = historyGrid();
        int statusColumn = columnIndex(history.getComponent(), "Status");
        var shown = new LinkedHashMap<String, String>();
        for (int i = 0; i < history.size(); i++) {
            shown.put(history.getRow(i).credentialId(), history.getCellText(i, statusColumn));
        }
        assertThat(shown).containsExactlyInAnyOrderEntriesOf(Map.of(fixture.id(0), "200",
                fixture.id(1), "409 · credential-revoked"));
        provider.verify(1, getRequestedFor(urlPathEqualTo(fixture.pingPath())));
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void anAuditorCannotOpenTheConsoleNorRunCalls() {
        try {
            navigate(ConsoleView.class);
        } catch (RuntimeException refused) {
            // Navigation to a view the role may not open is refused; where it lands is the router's business.
        }
        assertThat(getCurrentView()).isNotInstanceOf(ConsoleView.class);
        assertThat(find(ConsoleView.class).exists()).isFalse();

        UUID demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        String demoCredential = jdbc.queryForObject(
                "SELECT id FROM credentials WHERE tenant_id = ? ORDER BY created_at LIMIT 1", String.class, demo);
        var request = new ApiConsole.ConsoleRequest("GET", "/identity", null, Map.of(), null);
        assertThatThrownBy(() -> console.auditRun(demo, List.of(demoCredential), request))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> console.run(demo, demoCredential, request))
                .isInstanceOf(AccessDeniedException.class);
    }

    // ------------------------------------------------------------------ helpers

    /** Lets queued {@code UI.access} tasks run until the results grid has {@code count} rows and the run is over. */
    private Map<String, ConsoleRun> awaitResults(int count) {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        Button cancel = find(Button.class).withText("Cancel").single();
        while (true) {
            roundTrip();
            GridTester<Grid<ConsoleRun>, ConsoleRun> grid = resultsGrid();
            if (grid.size() == count && !cancel.isEnabled()) {
                var byCredential = new LinkedHashMap<String, ConsoleRun>();
                for (int i = 0; i < grid.size(); i++) {
                    byCredential.put(grid.getRow(i).credentialId(), grid.getRow(i));
                }
                return byCredential;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + count + " results within " + RUN_TIMEOUT + "; rows: " + grid.size());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Ticks the picker's row of this credential (the picker lists newest first). */
    private void select(String credentialId) {
        GridTester<Grid<CredentialView>, CredentialView> picker = picker();
        for (int i = 0; i < picker.size(); i++) {
            if (picker.getRow(i).id().equals(credentialId)) {
                picker.select(i);
                return;
            }
        }
        throw new AssertionError(credentialId + " is not in the picker");
    }

    @SuppressWarnings("unchecked")
    private ComboBox<Object> connectorFilter() {
        return find(ComboBox.class).withLabel("Connector").single();
    }

    @SuppressWarnings("unchecked")
    private ComboBox<io.plugboard.proxy.RequestTemplate> templatePicker() {
        return find(ComboBox.class).withLabel("Template").single();
    }

    @SuppressWarnings("unchecked")
    private Select<String> method() {
        return find(Select.class).withLabel("Method").single();
    }

    private TextField field(String label) {
        return find(TextField.class).withLabel(label).single();
    }

    private TextArea area(String label) {
        return find(TextArea.class).withLabel(label).single();
    }

    /** The grid whose columns include {@code header}: picker (End user), results (Latency), history (By). */
    @SuppressWarnings("rawtypes")
    private Grid gridWith(String header) {
        return find(Grid.class).all().stream()
                .filter(g -> ((List<Grid.Column<?>>) g.getColumns()).stream()
                        .anyMatch(c -> header.equals(c.getHeaderText())))
                .findFirst().orElseThrow(() -> new AssertionError("no grid with a column " + header));
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<CredentialView>, CredentialView> picker() {
        return test((Grid<CredentialView>) gridWith("End user"));
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<ConsoleRun>, ConsoleRun> resultsGrid() {
        return test((Grid<ConsoleRun>) gridWith("Latency"));
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<CallHistory.Call>, CallHistory.Call> historyGrid() {
        return test((Grid<CallHistory.Call>) gridWith("By"));
    }

    private static int columnIndex(Grid<?> grid, String header) {
        return grid.getColumns().stream().map(Grid.Column::getHeaderText).toList().indexOf(header);
    }
}
