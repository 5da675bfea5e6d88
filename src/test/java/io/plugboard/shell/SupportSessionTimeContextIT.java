package io.plugboard.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.plugboard.dashboard.ui.DashboardView;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.connect.TestClock;
import io.plugboard.credential.CredentialFilter;
import io.plugboard.credential.CredentialService;
import io.plugboard.security.CurrentUser;
import io.plugboard.tenant.SupportSwitchService;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The support session's time limit, with the application clock under the test's control (a {@link TestClock} that
 * only moves forward) and a limit of 45 minutes set the way an operator sets it. Its own context, hence its own JVM.
 */
@Import(SupportSessionTimeContextIT.Clocks.class)
@TestPropertySource(properties = "plugboard.support.session-limit=45m")
@WithPortalUser("support@plugboard.local")
class SupportSessionTimeContextIT extends BrowserlessViewTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        @Primary
        TestClock supportTestClock() {
            return new TestClock();
        }
    }

    @Autowired
    TestClock clock;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;
    @Autowired
    CurrentUser currentUser;
    @Autowired
    CredentialService credentials;

    private static @Nullable String discardedReason;
    private UUID demo;
    private String reason;

    @BeforeEach
    void switchIntoTheDemoTenant() {
        demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": connect link keeps expiring";
        supportSwitch.switchTo(demo, reason);
    }

    @Test
    void theBannerCountsDownTheConfiguredLimitAndTheFirstNavigationAfterItEndsTheSession() {
        navigate(DashboardView.class);
        assertThat(remaining()).matches("(45:00|44:5\\d) left");

        clock.advance(Duration.ofMinutes(20));
        navigate(DashboardView.class);
        assertThat(remaining()).matches("(25:00|24:5\\d) left");
        assertThat(credentials.count(demo, CredentialFilter.none())).isNotNegative();

        clock.advance(Duration.ofMinutes(25));
        // Time is up: the services stop answering for the tenant at once, before anything else happens.
        assertThat(currentUser.tenant()).isEmpty();
        assertThatThrownBy(() -> credentials.list(demo, CredentialFilter.none(), Pageable.ofSize(5)))
                .isInstanceOf(NotFoundException.class);
        assertThat(events("support.session.ended")).as("not ended until something asks").isZero();

        // Navigating anywhere now lands on the tenant chooser (hence browserless' complaint about the target).
        assertThatThrownBy(() -> navigate(DashboardView.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SupportSwitchView");
        assertThat(getCurrentView().getClass().getSimpleName()).isEqualTo("SupportSwitchView");
        assertThat(find(Paragraph.class).withClassName("support-ended").single().getText())
                .isEqualTo("Your support session ended: its time limit of 45 minutes was reached. "
                        + "Open the tenant again, with a reason, to continue.");
        assertThat(find(SupportBanner.class).exists()).as("no visible banner").isFalse();
        assertThat(currentUser.supportSwitch()).isEmpty();
        assertEndedAs("expired", 45);
    }

    @Test
    void theCountdownReachingZeroEndsTheSessionByTheServersClockNotTheBrowsers() {
        navigate(DashboardView.class);
        SupportBanner banner = find(SupportBanner.class).single();

        clock.advance(Duration.ofMinutes(44).plusSeconds(50));
        banner.timeUp();
        assertThat(currentUser.activeSupportSwitch()).as("the browser was early: nothing ends").isPresent();
        assertThat(banner.isVisible()).isTrue();
        assertThat(remaining()).matches("0:(10|0\\d) left");

        clock.advance(Duration.ofSeconds(11));
        banner.timeUp();
        assertThat(currentUser.supportSwitch()).isEmpty();
        assertThat(getCurrentView().getClass().getSimpleName()).isEqualTo("SupportSwitchView");
        assertEndedAs("expired", 45);
    }

    @Test
    void enabledChangesEndWithTheTimeLimit() {
        supportSwitch.enableChanges();
        assertThat(currentUser.mayChangeTenantData()).isTrue();

        clock.advance(Duration.ofMinutes(45));
        assertThat(currentUser.mayChangeTenantData()).isFalse();
        assertThatThrownBy(() -> credentials.revokeAll(demo, java.util.List.of()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> supportSwitch.enableChanges()).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aPortalSessionDiscardedWithoutSignOutEndsItsSupportSessionToo() {
        clock.advance(Duration.ofMinutes(10));
        assertThat(events("support.session.ended")).isZero();
        // After this test the browserless environment discards its portal session through Vaadin's session-destroy
        // path, as the servlet container does when a session times out; theDiscardedSessionsEndWasAudited checks.
        discardedReason = reason;
    }

    @AfterAll
    static void theDiscardedSessionsEndWasAudited(@Autowired JdbcTemplate jdbc) {
        assertThat(discardedReason).as("the discarding test ran").isNotNull();
        assertEndedAs(jdbc, discardedReason, "session_closed", 10);
    }

    private String remaining() {
        return find(Span.class, find(SupportBanner.class).single()).withClassName("support-remaining").single()
                .getText();
    }

    private long events(String action) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM audit_events
                WHERE tenant_id = ? AND action = ? AND reason = ?""", Long.class, demo, action, reason);
    }

    private void assertEndedAs(String how, long minutes) {
        assertEndedAs(jdbc, reason, how, minutes);
    }

    private static void assertEndedAs(JdbcTemplate jdbc, String reason, String how, long minutes) {
        Map<String, Object> ended = jdbc.queryForMap("""
                SELECT actor_label, reason, details FROM audit_events
                WHERE action = 'support.session.ended' AND reason = ?""", reason);
        assertThat(ended.get("actor_label")).isEqualTo("support@plugboard.local");
        assertThat(ended.get("details").toString())
                .contains("\"how\":\"" + how + "\"", "\"minutes\":" + minutes, "\"tenant\":\"Demo Realty\"");
    }
}
