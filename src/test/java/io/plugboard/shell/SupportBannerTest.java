package io.plugboard.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.popover.Popover;
import io.plugboard.dashboard.ui.DashboardView;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.security.CurrentUser;
import io.plugboard.tenant.SupportSwitchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The support banner without a browser: whose tenant, the reason, read-only or not, the time left; and the two
 * ways out the banner and the user menu offer — "End support session" and sign-out — each audited with how it
 * ended. (The clock-driven end is {@link SupportSessionTimeContextIT}.)
 */
@WithPortalUser("support@plugboard.local")
class SupportBannerTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;
    @Autowired
    CurrentUser currentUser;

    private UUID demo;
    private String reason;

    @BeforeEach
    void switchIntoTheDemoTenant() {
        demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": venue metadata looks wrong";
        supportSwitch.switchTo(demo, reason);
    }

    @Test
    void bannerShowsTheTenantTheReasonThatItIsReadOnlyAndTheTimeLeft() {
        navigate(DashboardView.class);
        SupportBanner banner = find(SupportBanner.class).single();
        assertThat(banner.isVisible()).isTrue();
        assertThat(text("support-where")).isEqualTo("Customer-success access to Demo Realty · Reason: " + reason);
        assertThat(text("badge")).isEqualTo("Read-only");
        // The default limit is 60 minutes (a slow machine may have spent a second since the switch); the browser
        // counts down from the server's figure.
        assertThat(text("support-remaining")).matches("(60:00|59:[0-5]\\d) left");
        assertThat(find(Span.class).withClassName("tenant-chip").single().getText()).isEqualTo("Demo Realty");
    }

    @Test
    void enablingChangesAsksFirstNamingTheReasonAndIsAudited() {
        navigate(DashboardView.class);
        test(find(Button.class).withText("Enable changes").single()).click();
        ConfirmDialog confirm = find(ConfirmDialog.class).single();
        assertThat(test(confirm).getHeader()).isEqualTo("Enable changes in Demo Realty?");
        assertThat(test(confirm).getText()).contains(reason);
        test(confirm).cancel();
        assertThat(currentUser.mayChangeTenantData()).as("cancelled: still read-only").isFalse();

        test(find(Button.class).withText("Enable changes").single()).click();
        test(find(ConfirmDialog.class).single()).confirm();
        assertThat(currentUser.mayChangeTenantData()).isTrue();
        navigate(DashboardView.class);
        assertThat(text("badge")).isEqualTo("Changes enabled");
        assertThat(find(Button.class).withText("Enable changes").exists()).as("offered no more").isFalse();
        assertThat(lastEvent("support.changes.enabled").get("reason")).isEqualTo(reason);
    }

    @Test
    void endingOnDemandReturnsToTheTenantChooserAndIsAudited() {
        navigate(DashboardView.class);
        test(find(Button.class).withText("End support session").single()).click();

        assertThat(currentUser.supportSwitch()).isEmpty();
        assertThat(currentUser.tenant()).isEmpty();
        assertThat(getCurrentView().getClass().getSimpleName()).isEqualTo("SupportSwitchView");
        assertThat(find(Paragraph.class).withClassName("support-ended").single().getText())
                .isEqualTo("You ended the support session.");
        assertThat(find(SupportBanner.class).exists()).as("no visible banner").isFalse();
        assertThat(find(Span.class).withClassName("tenant-chip").single().getText()).isEqualTo("Platform");
        Map<String, Object> ended = lastEvent("support.session.ended");
        assertThat(ended.get("reason")).isEqualTo(reason);
        assertThat(ended.get("details").toString()).contains("\"how\":\"on_demand\"", "\"changesEnabled\":false");
    }

    @Test
    void signingOutEndsTheSupportSessionFirst() {
        navigate(DashboardView.class);
        // The account button opens a popover with the e-mail and "Sign out". The mocked servlet session cannot see
        // Spring Security's logout through (it is invalidated before Spring clears it); the support session's end
        // comes before that.
        test(find(Button.class).withClassName("user-menu").single()).click();
        assertThat(find(Popover.class).single().isOpened()).isTrue();
        assertThat(find(Span.class).withClassName("user-email").single().getText()).isEqualTo("support@plugboard.local");
        try {
            test(find(Button.class).withText("Sign out").single()).click();
        } catch (IllegalStateException mockedSessionAlreadyInvalidated) {
            assertThat(mockedSessionAlreadyInvalidated).hasMessageContaining("invalidated");
        }

        Map<String, Object> ended = lastEvent("support.session.ended");
        assertThat(ended.get("reason")).isEqualTo(reason);
        assertThat(ended.get("details").toString()).contains("\"how\":\"signed_out\"");
    }

    @Test
    void switchingStraightIntoAnotherTenantEndsTheFirstSession() {
        supportSwitch.switchTo(demo, reason + " (second look)");
        List<Map<String, Object>> events = jdbc.queryForList("""
                SELECT action, reason, details FROM audit_events
                WHERE tenant_id = ? AND actor_label = 'support@plugboard.local' ORDER BY seq DESC LIMIT 3""", demo);
        assertThat(events).extracting(e -> e.get("action"))
                .containsExactly("support.tenant.switched", "support.session.ended", "support.tenant.switched");
        assertThat(events.get(1).get("reason")).isEqualTo(reason);
        assertThat(events.get(1).get("details").toString()).contains("\"how\":\"replaced\"");
        assertThat(events.get(0).get("reason")).isEqualTo(reason + " (second look)");
    }

    @Test
    void remainingTimeIsWholeSecondsRoundedUp() {
        assertThat(SupportBanner.format(Duration.ofMinutes(60))).isEqualTo("60:00");
        assertThat(SupportBanner.format(Duration.ofMinutes(60).minusMillis(1))).isEqualTo("60:00");
        assertThat(SupportBanner.format(Duration.ofSeconds(59 * 60 + 12))).isEqualTo("59:12");
        assertThat(SupportBanner.format(Duration.ofSeconds(5).plusMillis(1))).isEqualTo("0:06");
        assertThat(SupportBanner.format(Duration.ofMinutes(60).plusSeconds(1))).isEqualTo("1:00:01");
        assertThat(SupportBanner.format(Duration.ofMinutes(90))).isEqualTo("1:30:00");
        assertThat(SupportBanner.format(Duration.ZERO)).isEqualTo("0:00");
    }

    private String text(String className) {
        return find(Span.class, find(SupportBanner.class).single()).withClassName(className).single().getText();
    }

    private Map<String, Object> lastEvent(String action) {
        return jdbc.queryForMap("""
                SELECT reason, details FROM audit_events
                WHERE tenant_id = ? AND action = ? AND actor_label = 'support@plugboard.local'
                ORDER BY seq DESC LIMIT 1""", demo, action);
    }
}
