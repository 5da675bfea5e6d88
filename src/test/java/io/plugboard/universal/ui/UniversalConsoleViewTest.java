package io.plugboard.universal.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.WithPortalUser;
import io.plugboard.credential.CredentialView;
import io.plugboard.proxy.CallLog;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.universal.ConsoleOperation;
import io.plugboard.universal.UniversalConsole;
import io.plugboard.universal.UniversalRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's Universal mode without a browser, against a fresh tenant whose three CRMs' APIs are one WireMock
 * server answering with the documented samples of {@code src/test/resources/universal/} (each file names its
 * pages). Runs happen on virtual threads that report back through {@code UI.access}; {@link #roundTrip()} lets
 * them run, as a browser's poll would.
 */
class UniversalConsoleViewTest extends BrowserlessViewTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static WireMockServer provider;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UniversalConsole console;
    @Autowired
    CallLog callLog;

    private UniversalConsoleFixture fixture;

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
    void tenantWithThreeCrms() {
        provider.resetAll();
        fixture = UniversalConsoleFixture.create(context, provider.baseUrl(), "universal-console");
    }

    @Test
    void theConsoleLinksBothModesAndThePickerListsOnlyTheTenantsMappedCrms() {
        var elsewhere = UniversalConsoleFixture.create(context, provider.baseUrl(), "universal-elsewhere");
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(UniversalConsoleView.class);

        assertThat(listedCredentials()).containsExactlyInAnyOrder(fixture.sandbox(), fixture.followUpBoss(),
                fixture.listOnly());
        assertThat(listedCredentials()).doesNotContain(fixture.other(), elsewhere.sandbox());
        assertThat(find(com.vaadin.flow.component.html.Anchor.class).all())
                .extracting(a -> a.getHref() + " " + a.getText())
                .contains("console Proxy request", "console/universal Universal CRM");
        test(find(TextField.class).withClassName("credential-search").single()).setValue("Marcus");
        assertThat(listedCredentials()).containsExactly(fixture.followUpBoss());
    }

    @Test
    void listsPeopleAcrossTwoCrmsAndShowsEachNormalizedThenTheProvidersRecords() {
        provider.stubFor(get(urlPathEqualTo(fixture.path("/sandbox/api/contacts"))).withQueryParam("limit", equalTo("2"))
                .withHeader("Authorization", equalTo("Bearer sandbox-access"))
                .willReturn(okJson(stub("sandbox-crm", "contacts-page-1.json"))));
        provider.stubFor(get(urlPathEqualTo(fixture.path("/fub/v1/people"))).withQueryParam("limit", equalTo("2"))
                .willReturn(okJson(stub("followupboss", "people-page-1.json"))));
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(UniversalConsoleView.class);
        tick(fixture.sandbox(), fixture.followUpBoss());
        assertThat(operation().getValue()).isEqualTo(ConsoleOperation.LIST_PEOPLE);
        test(field("Limit")).setValue("2");
        test(find(Button.class).withText("Run for 2").single()).click();

        Map<String, UniversalResultCard> cards = awaitCards(2);
        assertThat(cards.keySet()).containsExactly(fixture.sandbox(), fixture.followUpBoss());
        String sandbox = text(cards.get(fixture.sandbox()));
        assertThat(sandbox).contains("Sandbox CRM", "Jane's sandbox", "200", "2 records; the CRM holds more",
                "c_sample_1", "Ada Lovelace", "ada@analytical.example", "+44 20 7946 0001", "Grace Hopper");
        String fub = text(cards.get(fixture.followUpBoss()));
        assertThat(fub).contains("Follow Up Boss", "Marcus's Follow Up Boss", "200");

        test(show()).selectItem(UniversalResultCard.Show.JSON.label);
        String normalized = pre(cards().get(fixture.sandbox()));
        assertThat(JSON.readTree(normalized).path("items").get(0).path("emails").get(0).path("isPrimary").asBoolean())
                .isTrue();
        assertThat(normalized).doesNotContain("\"original\"", "Analytical Engines Ltd");

        test(show()).selectItem(UniversalResultCard.Show.ORIGINAL.label);
        var original = JSON.readTree(pre(cards().get(fixture.sandbox())));
        assertThat(original.get(0).path("company").asString()).as("the sandbox's own field").isEqualTo("Analytical Engines Ltd");
        assertThat(original.get(0).path("email").asString()).isEqualTo("ada@analytical.example");

        callLog.flush();
        assertThat(jdbc.queryForList("SELECT source || ' ' || credential_id || ' ' || actor FROM proxy_calls "
                + "WHERE tenant_id = ?", String.class, fixture.tenant().id())).containsExactlyInAnyOrder(
                "UNIVERSAL " + fixture.sandbox() + " " + fixture.tenant().adminEmail(),
                "UNIVERSAL " + fixture.followUpBoss() + " " + fixture.tenant().adminEmail());
        assertThat(jdbc.queryForMap("SELECT details::jsonb->>'operation' AS operation, details::jsonb->>'count' AS count "
                + "FROM audit_events WHERE tenant_id = ? AND action = 'console.universal.run'", fixture.tenant().id()))
                .containsEntry("operation", "LIST_PEOPLE").containsEntry("count", "2");
    }

    @Test
    void eachCrmsRefusalIsAMessageOnItsOwnCard() {
        provider.stubFor(post(urlPathEqualTo(fixture.path("/sandbox/api/contacts"))).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("sandbox-crm", "contact.json"))));
        provider.stubFor(post(urlPathEqualTo(fixture.path("/fub/v1/people"))).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("followupboss", "error-400.json"))));
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(UniversalConsoleView.class);
        tick(fixture.sandbox(), fixture.followUpBoss(), fixture.listOnly());
        test(operation()).selectItem(ConsoleOperation.CREATE_PERSON.label());
        test(area("JSON body")).setValue("""
                {"firstName": "Ada", "lastName": "Lovelace", "emails": [{"value": "ada@analytical.example"}]}""");
        test(find(Button.class).withText("Run for 3").single()).click();

        Map<String, UniversalResultCard> cards = awaitCards(3);
        assertThat(text(cards.get(fixture.sandbox()))).contains("201", "Ada Lovelace");
        assertThat(text(cards.get(fixture.followUpBoss()))).contains("422", "Invalid email address: not-an-email");
        assertThat(text(cards.get(fixture.listOnly()))).contains("501",
                "List-only CRM (listonly-crm) cannot create a person through the Universal CRM API.");
        assertThat(cards.get(fixture.listOnly()).getElement().getTextRecursively()).doesNotContain("Exception");
        provider.verify(postRequestedFor(urlPathEqualTo(fixture.path("/sandbox/api/contacts")))
                .withRequestBody(equalToJson("{\"name\": \"Ada Lovelace\", \"email\": \"ada@analytical.example\"}")));
    }

    @Test
    void notesTasksAndUsersAreOperationsToo() {
        provider.stubFor(get(urlPathEqualTo(fixture.path("/sandbox/api/users")))
                .willReturn(okJson(stub("sandbox-crm", "users.json"))));
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(UniversalConsoleView.class);
        tick(fixture.sandbox(), fixture.listOnly());
        test(operation()).selectItem(ConsoleOperation.LIST_USERS.label());
        test(find(Button.class).withText("Run for 2").single()).click();

        Map<String, UniversalResultCard> cards = awaitCards(2);
        assertThat(text(cards.get(fixture.sandbox()))).contains("200", "u_owner", "jane@sandbox.example", "owner");
        assertThat(text(cards.get(fixture.listOnly()))).contains("501",
                "List-only CRM (listonly-crm) cannot list users through the Universal CRM API.");
        assertThat(ConsoleOperation.CREATE_NOTE.inputs()).singleElement().satisfies(input -> assertThat(input.json()).isTrue());
    }

    @Test
    void aBodyThatIsNoPersonIsRefusedWithItsMistakeBeforeAnyCall() {
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        navigate(UniversalConsoleView.class);
        tick(fixture.sandbox());
        test(operation()).selectItem(ConsoleOperation.UPDATE_PERSON.label());
        Button run = find(Button.class).withText("Run for 1").single();

        test(run).click();
        assertThat(field("Person id").isInvalid()).isTrue();
        assertThat(field("Person id").getErrorMessage()).isEqualTo("required for update a person");

        test(field("Person id")).setValue("c_sample_1");
        test(area("JSON body")).setValue("{\"firstName\": \"Ada\",");
        test(run).click();
        assertThat(area("JSON body").getErrorMessage()).startsWith("not valid JSON at line 1");

        test(area("JSON body")).setValue("{\"email\": \"ada@analytical.example\"}");
        test(run).click();
        assertThat(area("JSON body").getErrorMessage()).startsWith("unknown field \"email\"; the fields are ")
                .contains("emails", "firstName");

        test(area("JSON body")).setValue("{}");
        test(run).click();
        assertThat(area("JSON body").isInvalid()).isFalse();
        assertThat(find(UniversalResultCard.class).exists()).isFalse();

        provider.verify(0, anyRequestedFor(anyUrl()));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? AND action = "
                + "'console.universal.run'", Long.class, fixture.tenant().id())).isZero();
    }

    @Test
    void anotherTenantsCredentialIsNotFoundAndNeverCalled() {
        var elsewhere = UniversalConsoleFixture.create(context, provider.baseUrl(), "universal-other");
        SignedIn.as(jdbc, fixture.tenant().adminEmail());
        var call = ConsoleOperation.LIST_PEOPLE.prepare(Map.of());

        UniversalRun run = console.run(fixture.tenant().id(), elsewhere.sandbox(), ConsoleOperation.LIST_PEOPLE, call);

        assertThat(run.status()).isEqualTo(404);
        assertThat(run.error()).contains("No credential " + elsewhere.sandbox());
        assertThat(run.answer()).isNull();
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void anAuditorCannotOpenTheUniversalConsoleNorRunOperations() {
        try {
            navigate(UniversalConsoleView.class);
        } catch (RuntimeException refused) {
            // Navigation to a view the role may not open is refused; where it lands is the router's business.
        }
        assertThat(getCurrentView()).isNotInstanceOf(UniversalConsoleView.class);
        UUID demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        var call = ConsoleOperation.LIST_PEOPLE.prepare(Map.of());
        assertThatThrownBy(() -> console.auditRun(demo, List.of("cred_x"), ConsoleOperation.LIST_PEOPLE))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> console.run(demo, "cred_x", ConsoleOperation.LIST_PEOPLE, call))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aReadOnlySupportSessionRunsNothing(@Autowired SupportSwitchService supportSwitch) {
        supportIn(supportSwitch);
        navigate(UniversalConsoleView.class);
        tick(fixture.sandbox());

        assertThat(find(Button.class).withText("Run for 1").single().isEnabled()).isFalse();
        var call = ConsoleOperation.LIST_PEOPLE.prepare(Map.of());
        assertThatThrownBy(() -> console.run(fixture.tenant().id(), fixture.sandbox(), ConsoleOperation.LIST_PEOPLE, call))
                .isInstanceOf(RuntimeException.class);
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void withChangesEnabledCustomerSuccessRunAuditedUnderTheirName(@Autowired SupportSwitchService supportSwitch) {
        supportIn(supportSwitch);
        supportSwitch.enableChanges();
        provider.stubFor(get(urlPathEqualTo(fixture.path("/sandbox/api/contacts")))
                .willReturn(okJson(stub("sandbox-crm", "contacts-page-2.json"))));
        navigate(UniversalConsoleView.class);
        tick(fixture.sandbox());
        test(find(Button.class).withText("Run for 1").single()).click();

        assertThat(text(awaitCards(1).get(fixture.sandbox()))).contains("200", "1 record");
        assertThat(jdbc.queryForObject("SELECT actor_label FROM audit_events WHERE tenant_id = ? AND action = "
                + "'console.universal.run'", String.class, fixture.tenant().id())).isEqualTo("support@plugboard.local");
    }

    private void supportIn(SupportSwitchService supportSwitch) {
        SignedIn.as(jdbc, "support@plugboard.local");
        supportSwitch.switchTo(fixture.tenant().id(), "Ticket " + UUID.randomUUID().toString().substring(0, 8)
                + ": people missing in the CRM");
    }

    // ------------------------------------------------------------------ helpers

    /** Lets queued {@code UI.access} tasks run until {@code count} cards hold an answer and the run is over. */
    private Map<String, UniversalResultCard> awaitCards(int count) {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        Button cancel = find(Button.class).withText("Cancel").single();
        while (true) {
            roundTrip();
            var cards = cards();
            if (cards.size() == count && !cancel.isEnabled()) {
                return cards;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + count + " results within " + RUN_TIMEOUT + "; cards: " + cards.size());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The result cards in the order shown, by credential. */
    private Map<String, UniversalResultCard> cards() {
        return find(UniversalResultCard.class).all().stream().collect(Collectors.toMap(
                c -> c.getElement().getAttribute("data-credential-id"), c -> c, (a, b) -> a, LinkedHashMap::new));
    }

    private void tick(String... credentialIds) {
        GridTester<Grid<CredentialView>, CredentialView> picker = picker();
        for (String id : credentialIds) {
            boolean found = false;
            for (int i = 0; i < picker.size(); i++) {
                if (picker.getRow(i).id().equals(id)) {
                    picker.select(i);
                    found = true;
                }
            }
            assertThat(found).as(id + " in the picker").isTrue();
        }
    }

    private List<String> listedCredentials() {
        GridTester<Grid<CredentialView>, CredentialView> picker = picker();
        return java.util.stream.IntStream.range(0, picker.size()).mapToObj(i -> picker.getRow(i).id()).toList();
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<CredentialView>, CredentialView> picker() {
        return test((Grid<CredentialView>) find(Grid.class).single());
    }

    @SuppressWarnings("unchecked")
    private Select<ConsoleOperation> operation() {
        return find(Select.class).withLabel("Operation").single();
    }

    @SuppressWarnings("unchecked")
    private RadioButtonGroup<UniversalResultCard.Show> show() {
        return find(RadioButtonGroup.class).withLabel("Show").single();
    }

    private TextField field(String label) {
        return find(TextField.class).withLabel(label).single();
    }

    private TextArea area(String label) {
        return find(TextArea.class).withLabel(label).single();
    }

    private static String text(UniversalResultCard card) {
        return card.getElement().getTextRecursively();
    }

    private static String pre(UniversalResultCard card) {
        return card.getChildren().filter(Pre.class::isInstance).map(c -> ((Pre) c).getText()).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON on the card"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The documented answer in a stub file under {@code universal/<crm>/} (its {@code _source} names the pages). */
    private static String stub(String crm, String file) {
        try (InputStream in = UniversalConsoleViewTest.class.getResourceAsStream("/universal/" + crm + "/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
