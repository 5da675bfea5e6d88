package io.plugboard.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.dashboard.ui.DashboardView;
import io.plugboard.security.ui.LoginView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who gets in, and what the side navigation offers each role. */
class NavigationViewTest extends BrowserlessViewTest {

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
    @WithPortalUser("auditor@demo.local")
    void tenantAuditorSeesTheReadOnlyPagesButNoSettingsNorPlatformPages() {
        navigate(DashboardView.class);
        // Users is the read-only list (UsersView admits auditors and shows them no actions).
        assertThat(menu()).contains("Dashboard", "Audit log", "Users")
                .doesNotContain("Settings", "Tenants", "Master key", "Switch tenant", "Support");
    }

    private List<String> menu() {
        return find(SideNav.class).single().getItems().stream().map(SideNavItem::getLabel).toList();
    }
}
