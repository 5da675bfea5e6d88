package io.plugboard.tenant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.RouteNotFoundError;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.PlugboardTest;
import io.plugboard.WithPortalUser;
import org.junit.jupiter.api.Test;

class SettingsViewTest extends BrowserlessViewTest {

    @Test
    @WithPortalUser("admin@demo.local")
    void tenantAdminOpensTheSettingsWithTheTenantsClientId() {
        navigate(SettingsView.class);
        assertThat(find(Span.class).withClassName("client-id").single().getText())
                .isEqualTo(PlugboardTest.DEMO_CLIENT_ID);
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void auditorNavigatingToTheSettingsIsRefused() {
        assertThatThrownBy(() -> navigate(SettingsView.class)).isInstanceOf(IllegalArgumentException.class);
        // Refused by the route's access rule (answered as "not found"), not a view that crashed on the way in.
        assertThat(getCurrentView()).isInstanceOf(RouteNotFoundError.class);
        assertThat(find(Span.class).withClassName("client-id").exists()).isFalse();
    }
}
