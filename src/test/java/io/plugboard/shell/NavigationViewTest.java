package io.plugboard.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.button.Button;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.dashboard.ui.DashboardView;
import io.plugboard.security.ui.LoginView;
import io.plugboard.tenant.SupportSwitchService;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Who gets in, what the side navigation offers each role, and the customer-success banner. */
class NavigationViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;

    @Test
    void anonymousVisitorOfTheDashboardEndsAtTheLoginView() {
        assertThatThrownBy(() -> navigate(DashboardView.class)).isInstanceOf(IllegalArgumentException.class);
        assertThat(getCurrentView()).isInstanceOf(LoginView.class);
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void tenantAdminSeesUsersSettingsAndAuditLogButNoPlatformPages() {
        navigate(DashboardView.class);
        assertThat(menu()).contains("Dashboard", "Users", "Settings", "Audit log")
                .doesNotContain("Tenants", "Master key", "Switch tenant", "Support");
    }

    @Test
    @WithPortalUser("platform@plugboard.local")
    void platformAdminSeesTenantsAndMasterKeyButNoTenantSettings() {
        navigate(DashboardView.class);
        assertThat(menu()).contains("Dashboard", "Tenants", "Master key", "Users", "Audit log", "Support")
                .doesNotContain("Settings", "Switch tenant");
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void customerSuccessSeesSwitchTenantButNoAdministration() {
        navigate(DashboardView.class);
        assertThat(menu()).contains("Dashboard", "Support", "Switch tenant", "Audit log")
                .doesNotContain("Users", "Settings", "Tenants", "Master key");
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void customerSuccessInsideATenantSeesWhoseAndWhyUntilLeaving() {
        navigate(DashboardView.class);
        assertThat(find(SupportBanner.class).all()).as("outside any tenant").noneMatch(b -> b.isVisible());

        UUID demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        String reason = "Ticket " + UUID.randomUUID() + ": sign-in trouble";
        supportSwitch.switchTo(demo, reason);
        navigate(DashboardView.class);
        assertThat(find(SupportBanner.class).single().getElement().getTextRecursively())
                .contains("Customer-success access to Demo Realty", reason);

        test(find(Button.class).withText("End support session").single()).click();
        navigate(DashboardView.class);
        assertThat(find(SupportBanner.class).all()).as("after leaving").noneMatch(b -> b.isVisible());
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void tenantAuditorSeesTheReadOnlyPagesButNoSettingsNorPlatformPages() {
        navigate(DashboardView.class);
        // Users is the read-only list (UsersView admits auditors and shows them no actions).
        assertThat(menu()).contains("Dashboard", "Audit log", "Users")
                .doesNotContain("Settings", "Tenants", "Master key", "Switch tenant", "Support");
    }

    private List<String> menu() {
        return navigationEntries();
    }
}
