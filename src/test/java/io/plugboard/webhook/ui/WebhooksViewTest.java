package io.plugboard.webhook.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarTester;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.WithPortalUser;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.TestTenants;
import io.plugboard.webhook.Delivery;
import io.plugboard.webhook.DeliveryStatus;
import io.plugboard.webhook.EndpointHealth;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.IssuedSecret;
import io.plugboard.webhook.WebhookEndpoint;
import io.plugboard.webhook.WebhookEventType;
import io.plugboard.webhook.WebhookService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The webhooks view without a browser, in the demo tenant, with WireMock as the receiver. Endpoints a test
 * adds point at that receiver and are removed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WebhookService webhooks;
    @Autowired
    SupportSwitchService supportSwitch;
    @Autowired
    ApplicationContext applicationContext;

    private WireMockServer receiver;
    private UUID demo;

    @BeforeAll
    void startReceiver() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
    }

    @AfterAll
    void stopReceiver() {
        receiver.stop();
    }

    @BeforeEach
    void receiverAccepts() {
        demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        receiver.resetAll();
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("received")));
    }

    @AfterEach
    void removeTheEndpointsOfThisTest() {
        // Endpoints of this test only (they point at this receiver), in the demo tenant and any other.
        jdbc.update("DELETE FROM webhook_endpoints WHERE url LIKE ?", receiver.baseUrl() + "%");
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void anAdminAddsAnEndpointAndSeesItsSecretOnceAndItsHealth() {
        navigate(WebhooksView.class);
        test(find(Button.class).withText("Add endpoint").single()).click();
        test(find(TextField.class).withLabel("URL").single()).setValue(receiver.baseUrl() + "/view/added");
        test(find(TextField.class).withLabel("Description").single()).setValue("Orders backend");
        test(find(Button.class).withText("Save endpoint").single()).click();

        Span secret = find(Span.class).withClassName("show-once-value").single();
        assertThat(secret.getText()).startsWith("whsec_");
        List<WebhookEndpoint> saved = asAdmin(() -> webhooks.endpoints(demo)).stream()
                .filter(e -> e.url().endsWith("/view/added")).toList();
        assertThat(saved).singleElement().satisfies(e -> {
            assertThat(e.description()).isEqualTo("Orders backend");
            assertThat(e.eventTypes()).as("every type but the audit checkpoints, which are chosen explicitly")
                    .containsExactlyElementsOf(WebhookEventType.preselected().stream().map(WebhookEventType::wireName).toList());
        });
        assertThat(jdbc.queryForObject("SELECT encode(secret, 'escape') FROM webhook_endpoints WHERE id = ?", String.class,
                saved.getFirst().id())).as("only the sealed secret is stored").doesNotContain(secret.getText());
        test(find(Button.class).withText("I have stored it").single()).click();

        var endpoints = endpointsGrid();
        int row = rowOf(endpoints, saved.getFirst().id());
        assertThat(((Span) endpoints.getCellComponent(row, "health")).getText()).isEqualTo(EndpointHealth.HEALTHY.label());
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void invalidInputIsExplainedInTheDialogAndNothingIsSaved() {
        navigate(WebhooksView.class);
        test(find(Button.class).withText("Add endpoint").single()).click();
        test(find(TextField.class).withLabel("URL").single()).setValue("ftp://example.com/hooks");
        test(find(Button.class).withText("Save endpoint").single()).click();
        assertThat(find(Span.class).withClassName("form-error").single().getText()).startsWith("URL: ");
        assertThat(find(Span.class).withClassName("show-once-value").exists()).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_endpoints WHERE url = 'ftp://example.com/hooks'",
                Long.class)).isZero();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void aTestEventShowsInTheLazyDeliveryLogAndCanBeDeliveredAgain() {
        IssuedSecret endpoint = asAdmin(() -> webhooks.create(demo, new EndpointInput(receiver.baseUrl() + "/view/test",
                null, List.of("credential.revoked"))));
        navigate(WebhooksView.class);
        var endpoints = endpointsGrid();
        int row = rowOf(endpoints, endpoint.endpoint().id());
        new MenuBarTester<>((MenuBar) endpoints.getCellComponent(row, "actions")).clickItem("Actions", "Send test event");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/view/test"))).size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> asAdmin(() -> webhooks.endpoint(demo, endpoint.endpoint().id()))
                .lastSuccessAt() != null);

        endpoints.select(row);
        test(find(Button.class).withText("Refresh").single()).click();
        var log = deliveryGrid();
        assertThat(log.getComponent().getDataProvider().isInMemory()).as("fetched page by page").isFalse();
        assertThat(log.size()).isEqualTo(1);
        Delivery delivered = log.getRow(0);
        assertThat(delivered.eventType()).isEqualTo(WebhookEventType.TEST);
        assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(delivered.lastStatusCode()).isEqualTo(200);
        assertThat(delivered.lastResponse()).isEqualTo("received");
        assertThat(log.getCellText(0, log.getColumnPosition("attempts"))).isEqualTo("1");

        test((Button) log.getCellComponent(0, "redeliver")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/view/test"))).size() == 2);
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/view/test")))).extracting(r -> r.getHeader("Plugboard-Event-Id"))
                .containsOnly(delivered.eventId());

        statusFilter().setValue(DeliveryStatus.FAILED);
        assertThat(deliveryGrid().size()).isZero();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void rotatingTheSecretShowsTheNewOneOnceAndDeletingAsksFirst() {
        IssuedSecret endpoint = asAdmin(() -> webhooks.create(demo, new EndpointInput(receiver.baseUrl() + "/view/rotate",
                null, List.of("credential.revoked"))));
        navigate(WebhooksView.class);
        var endpoints = endpointsGrid();
        new MenuBarTester<>((MenuBar) endpoints.getCellComponent(rowOf(endpoints, endpoint.endpoint().id()), "actions"))
                .clickItem("Actions", "Rotate secret");
        test(find(ConfirmDialog.class).single()).confirm();
        String rotated = find(Span.class).withClassName("show-once-value").single().getText();
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(endpoint.secret());
        test(find(Button.class).withText("I have stored it").single()).click();
        assertThat(asAdmin(() -> webhooks.endpoint(demo, endpoint.endpoint().id())).previousSecretUntil()).isNotNull();

        endpoints = endpointsGrid();
        new MenuBarTester<>((MenuBar) endpoints.getCellComponent(rowOf(endpoints, endpoint.endpoint().id()), "actions"))
                .clickItem("Actions", "Delete");
        test(find(ConfirmDialog.class).single()).confirm();
        assertThat(asAdmin(() -> webhooks.endpoints(demo))).noneMatch(e -> e.id().equals(endpoint.endpoint().id()));
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void anAuditorSeesEndpointsAndTheLogButNoActions() {
        asAdmin(() -> webhooks.create(demo, new EndpointInput(receiver.baseUrl() + "/view/audited", null,
                List.of("credential.revoked"))));
        navigate(WebhooksView.class);
        assertThat(endpointsGrid().size()).isPositive();
        assertThat(find(Button.class).withText("Add endpoint").exists()).isFalse();
        assertThat(endpointsGrid().getComponent().getColumnByKey("actions")).isNull();
        assertThat(deliveryGrid().getComponent().getColumnByKey("redeliver")).isNull();
        assertThat(menu()).contains("Webhooks");
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void customerSuccessWithoutATenantSwitchIsAskedToChooseATenant() {
        navigate(WebhooksView.class);
        assertThat(find(Paragraph.class).withTextContaining("Choose a tenant").exists()).isTrue();
        assertThat(find(Grid.class).exists()).isFalse();
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void customerSuccessReadsOnlyAfterSwitchingIntoTheTenant() {
        supportSwitch.switchTo(demo, "Ticket " + UUID.randomUUID() + ": customer asks why webhooks stopped");
        navigate(WebhooksView.class);
        assertThat(find(Grid.class).all()).hasSize(2);
        assertThat(find(Button.class).withText("Add endpoint").exists()).isFalse();
        assertThat(endpointsGrid().getComponent().getColumnByKey("actions")).isNull();
        assertThat(deliveryGrid().getComponent().getColumnByKey("redeliver")).isNull();
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void anotherTenantsEndpointsAndDeliveriesNeverShow() {
        var other = TestTenants.create(applicationContext, "whv");
        IssuedSecret theirs;
        SecurityContext signedIn = SecurityContextHolder.getContext();
        try {
            SignedIn.as(jdbc, other.adminEmail());
            theirs = webhooks.create(other.id(), new EndpointInput(receiver.baseUrl() + "/view/other", null,
                    List.of("credential.revoked")));
            webhooks.sendTest(other.id(), theirs.endpoint().id());
        } finally {
            SecurityContextHolder.setContext(signedIn);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/view/other")))
                .size() == 1);

        navigate(WebhooksView.class);
        var endpoints = endpointsGrid();
        for (int i = 0; i < endpoints.size(); i++) {
            assertThat(endpoints.getRow(i).id()).isNotEqualTo(theirs.endpoint().id());
        }
        var log = deliveryGrid();
        for (int i = 0; i < Math.min(log.size(), 200); i++) {
            assertThat(log.getRow(i).endpointId()).isNotEqualTo(theirs.endpoint().id());
        }
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void theNavigationLeadsTenantAdminsToWebhooks() {
        navigate(WebhooksView.class);
        assertThat(menu()).contains("Webhooks");
    }

    // ------------------------------------------------------------------ helpers

    private <T> T asAdmin(Supplier<T> action) {
        SecurityContext signedIn = SecurityContextHolder.getContext();
        try {
            SignedIn.as(jdbc, "admin@demo.local");
            return action.get();
        } finally {
            SecurityContextHolder.setContext(signedIn);
        }
    }

    private List<String> menu() {
        return navigationEntries();
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<WebhookEndpoint>, WebhookEndpoint> endpointsGrid() {
        return test((Grid<WebhookEndpoint>) find(Grid.class).all().get(0));
    }

    @SuppressWarnings("unchecked")
    private GridTester<Grid<Delivery>, Delivery> deliveryGrid() {
        return test((Grid<Delivery>) find(Grid.class).all().get(1));
    }

    @SuppressWarnings("unchecked")
    private Select<DeliveryStatus> statusFilter() {
        return find(Select.class).withLabel("Status").single();
    }

    private static int rowOf(GridTester<Grid<WebhookEndpoint>, WebhookEndpoint> grid, UUID id) {
        for (int i = 0; i < grid.size(); i++) {
            if (grid.getRow(i).id().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("endpoint " + id + " is not in the grid");
    }
}
