package io.plugboard.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.tenant.SupportSwitchService;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Customer success and the connect launcher: a tenant first, then a link only once changes are enabled. */
@WithPortalUser("support@plugboard.local")
class ConnectLauncherSupportTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;

    private final String reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": send a fresh link";

    @Test
    void withoutATenantTheLauncherAsksToChooseOne() {
        navigate(ConnectLauncherView.class);
        assertThat(find(Paragraph.class).withText("Choose a tenant with “Switch tenant” first.").exists()).isTrue();
        assertThat(find(Button.class).withText("Create link").exists()).isFalse();
    }

    @Test
    void aReadOnlySupportSessionCannotCreateLinksAndAnEnabledOneCan() {
        supportSwitch.switchTo(demo(), reason);
        navigate(ConnectLauncherView.class);
        assertThat(find(Button.class).withText("Create link").single().isEnabled()).isFalse();
        assertThat(find(Paragraph.class).withText("Enable changes for this support session to create connect links.")
                .exists()).isTrue();

        supportSwitch.enableChanges();
        // The banner reloads the page after enabling; here a visit elsewhere makes the launcher anew.
        UI.getCurrent().navigate("");
        navigate(ConnectLauncherView.class);
        String endUser = "support-link-" + UUID.randomUUID().toString().substring(0, 8);
        test(find(TextField.class).withLabel("End user id").single()).setValue(endUser);
        test(find(Button.class).withText("Create link").single()).click();

        assertThat(find(TextField.class).withLabel("Connect link").single().getValue()).contains("/connect/");
        Map<String, Object> created = jdbc.queryForMap("""
                SELECT created_by FROM connect_sessions WHERE tenant_id = ? AND end_user_id = ?""", demo(), endUser);
        assertThat(created.get("created_by")).isEqualTo("support@plugboard.local");
        assertThat(jdbc.queryForObject("""
                SELECT reason FROM audit_events WHERE tenant_id = ? AND action = 'connect_session.created'
                AND details LIKE ?""", String.class, demo(), "%" + endUser + "%")).isEqualTo(reason);
    }

    private UUID demo() {
        return jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
    }
}
