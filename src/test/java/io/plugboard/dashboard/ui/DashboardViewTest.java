package io.plugboard.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.WithPortalUser;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.dashboard.DashboardFixture;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TenantSummary;
import io.plugboard.tenant.TestTenants;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/** The dashboard page without a browser, for each kind of user. */
class DashboardViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;
    @Autowired
    CustomConnectorService customConnectors;
    @Autowired
    TenantService tenants;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private UUID demo;
    private String failing;
    private String revoked;
    private DashboardFixture data;

    @BeforeEach
    void aCredentialNeedingAReconnectAndARevokedOneInTheDemoTenant() {
        demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        data = new DashboardFixture(jdbc, demo);
        // The newest failure and the newest revocation of the demo tenant, so they head their lists.
        failing = data.credential("roller", "Failing " + suffix);
        data.refreshFailed(failing, Instant.now());
        revoked = data.credential("stripe", "Revoked " + suffix);
        data.revoked(revoked, Instant.now(), "admin@demo.local");
        data.call(Instant.now(), 200, 80);
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void tenantAdminSeesTilesChartsAndReconnectsFromTheList() {
        navigate(DashboardView.class);

        assertThat(texts("tile-label")).contains("Active credentials", "Credentials by status",
                "Connect sessions started", "Proxy calls", "Error rate", "p95 latency", "Refresh failures");
        long active = jdbc.queryForObject("SELECT count(*) FROM credentials WHERE tenant_id = ? AND status = 'ACTIVE'",
                Long.class, demo);
        assertThat(tileValue("Active credentials")).isEqualTo(String.format("%,d", active));

        List<Svg> charts = find(Svg.class).all();
        assertThat(charts).hasSize(3);
        assertThat(charts).allSatisfy(svg -> assertThat(markup(svg)).startsWith("<svg").contains("role=\"img\"",
                "<title id=", "<desc id="));
        assertThat(find(Html.class).all().stream().map(DashboardViewTest::caption).filter(c -> !c.isEmpty()))
                .containsExactlyInAnyOrder(
                "Proxy calls per hour, last 7 days (UTC)", "Credentials per connector",
                "Refresh failures per day, last 30 days (UTC)");

        Div needing = actionList("Credentials needing a reconnect");
        assertThat(needing.getElement().getTextRecursively()).contains("Failing " + suffix, "ROLLER");
        assertThat(actionList("Recent revocations").getElement().getTextRecursively())
                .contains("Revoked " + suffix, "by admin@demo.local");
        assertThat(find(Anchor.class, needing).withText("Details").first().getHref()).isEqualTo("credentials/" + failing);

        Button reconnect = find(Button.class, needing).withText("Reconnect").first();
        assertThat(reconnect.getElement().getAttribute("aria-label")).isEqualTo("Reconnect " + failing);
        test(reconnect).click();
        assertThat(getCurrentView().getClass().getSimpleName()).isEqualTo("ConnectLauncherView");
        assertThat(UI.getCurrent().getActiveViewLocation().getPathWithQueryParameters())
                .isEqualTo("connect-launch?reconnect=" + failing);
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void aCredentialStrandedByAConnectorChangeIsListedWithItsReasonAndReconnectsInOneClick() {
        String stranded = data.credential("roller", "Stranded " + suffix);
        data.needsReconnect(stranded, "connector_changed", Instant.now().plusSeconds(1));

        navigate(DashboardView.class);

        Div needing = actionList("Credentials needing a reconnect");
        assertThat(needing.getElement().getTextRecursively()).contains("Stranded " + suffix,
                "Connector changed — reconnect", "Failing " + suffix, "Refresh failed — reconnect");
        long both = jdbc.queryForObject("SELECT count(*) FROM credentials WHERE tenant_id = ? "
                + "AND status IN ('REFRESH_FAILED', 'NEEDS_RECONNECT')", Long.class, demo);
        assertThat(find(com.vaadin.flow.component.html.Span.class, needing).withClassName("badge").single().getText())
                .isEqualTo(String.format("%,d", both));
        Button reconnect = find(Button.class, needing).withText("Reconnect").all().stream()
                .filter(b -> ("Reconnect " + stranded).equals(b.getElement().getAttribute("aria-label")))
                .findFirst().orElseThrow();
        test(reconnect).click();
        assertThat(UI.getCurrent().getActiveViewLocation().getPathWithQueryParameters())
                .isEqualTo("connect-launch?reconnect=" + stranded);
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void anAuditorSeesTheListsWithoutAReconnectAction() {
        navigate(DashboardView.class);
        Div needing = actionList("Credentials needing a reconnect");
        assertThat(needing.getElement().getTextRecursively()).contains("Failing " + suffix);
        assertThat(find(Button.class).withText("Reconnect").exists()).isFalse();
        assertThat(find(Anchor.class, needing).withText("Details").exists()).isTrue();
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void customerSuccessWithoutATenantSwitchIsAskedToChooseOne() {
        navigate(DashboardView.class);
        assertThat(getCurrentView().getElement().getTextRecursively())
                .contains("Choose a tenant to help from “Switch tenant” in the menu.");
        assertThat(texts("tile-label")).isEmpty();
        assertThat(find(Svg.class).exists()).isFalse();
    }

    @Test
    @WithPortalUser("platform@plugboard.local")
    void platformAdminSeesAllTenantsOrChoosesOneButNoTenantsCredentials() {
        navigate(DashboardView.class);
        assertThat(texts("tile-label")).contains("Active credentials", "Proxy calls");
        assertThat(find(Svg.class).all()).hasSize(3);
        assertThat(find(Div.class).withClassName("action-list").exists()).as("no lists across tenants").isFalse();
        long allActive = jdbc.queryForObject("SELECT count(*) FROM credentials WHERE status = 'ACTIVE'", Long.class);

        @SuppressWarnings("unchecked")
        ComboBox<TenantSummary> chooser = find(ComboBox.class).withLabel("Tenant").single();
        TenantSummary demoTenant = tenants.search("demo", PageRequest.of(0, 50)).stream()
                .filter(t -> t.slug().equals("demo")).findFirst().orElseThrow();
        String allTenantsValue = tileValue("Active credentials");
        assertThat(Long.parseLong(allTenantsValue.replace(",", ""))).isGreaterThanOrEqualTo(allActive - 5);
        chooser.setValue(demoTenant);

        long demoActive = jdbc.queryForObject("SELECT count(*) FROM credentials WHERE tenant_id = ? AND status = 'ACTIVE'",
                Long.class, demo);
        assertThat(tileValue("Active credentials")).isEqualTo(String.format("%,d", demoActive));
        assertThat(find(Div.class).withClassName("action-list").exists()).as("numbers only").isFalse();
        assertThat(getCurrentView().getElement().getTextRecursively()).doesNotContain("Failing " + suffix);
    }

    @Test
    void aCustomConnectorsNameIsEscapedInTheChart() {
        var tenant = TestTenants.create(context, "dashview");
        String name = "<img src=x onerror=alert(1)> & \"Co\" " + suffix;
        as(tenant.adminEmail(), () -> customConnectors.save(tenant.id(), customConnectors.parse("""
                appKey: evil-%s
                name: '%s'
                category: PRODUCTIVITY
                authMode: API_KEY
                api:
                  baseUrl: https://api.example.com
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(suffix, name.replace("'", "''")))));
        new DashboardFixture(jdbc, tenant.id()).credential("evil-" + suffix, null);
        SignedIn.as(jdbc, tenant.adminEmail());

        navigate(DashboardView.class);

        String connectors = markup(find(Svg.class).all().stream().filter(s -> markup(s).contains("chart-connectors"))
                .findFirst().orElseThrow());
        assertThat(connectors).contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot; " + suffix)
                .doesNotContain("<img");
        String table = find(Html.class).all().stream().filter(t -> caption(t).equals("Credentials per connector"))
                .map(t -> t.getElement().getProperty("innerHTML")).findFirst().orElseThrow();
        assertThat(table).contains("&lt;img src=x onerror=alert(1)&gt; &amp;", suffix).doesNotContain("<img");
    }

    // ------------------------------------------------------------------ helpers

    /** The caption of a chart's hidden table (one Html element with escaped markup). */
    private static String caption(Html table) {
        String html = table.getElement().getProperty("innerHTML");
        int start = html.indexOf("<caption>");
        return start < 0 ? "" : html.substring(start + "<caption>".length(), html.indexOf("</caption>"));
    }

    private static String markup(Svg svg) {
        return svg.getElement().getProperty("innerHTML");
    }

    private List<String> texts(String className) {
        return descendants(getCurrentView().getElement().getComponent().orElseThrow())
                .filter(c -> c.getElement().getClassList().contains(className))
                .map(c -> c.getElement().getText()).toList();
    }

    private String tileValue(String label) {
        Component tile = descendants(getCurrentView().getElement().getComponent().orElseThrow())
                .filter(c -> c.getElement().getClassList().contains("tile"))
                .filter(c -> c.getChildren().anyMatch(child -> child.getElement().getText().equals(label)))
                .findFirst().orElseThrow();
        return tile.getChildren().filter(c -> c.getElement().getClassList().contains("tile-value")).findFirst()
                .orElseThrow().getElement().getText();
    }

    private Div actionList(String title) {
        return find(Div.class).withClassName("action-list").all().stream()
                .filter(d -> d.getElement().getTextRecursively().startsWith(title)).findFirst().orElseThrow();
    }

    private static Stream<Component> descendants(Component root) {
        return Stream.concat(Stream.of(root), root.getChildren().flatMap(DashboardViewTest::descendants));
    }

    private void as(String email, Runnable action) {
        SecurityContext signedIn = SecurityContextHolder.getContext();
        try {
            SignedIn.as(jdbc, email);
            action.run();
        } finally {
            SecurityContextHolder.setContext(signedIn);
        }
    }
}
