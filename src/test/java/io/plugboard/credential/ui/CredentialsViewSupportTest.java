package io.plugboard.credential.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import io.plugboard.tenant.SupportSwitchService;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The credentials view offers customer success its changes only once they enabled them for the session. */
@WithPortalUser("support@plugboard.local")
class CredentialsViewSupportTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SupportSwitchService supportSwitch;

    @BeforeEach
    void switchIntoTheDemoTenant() {
        UUID demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        supportSwitch.switchTo(demo, "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": bulk revoke");
    }

    @Test
    void readOnlySessionSeesNoRevoke() {
        navigate(CredentialsView.class);
        assertThat(find(Button.class).withText("Revoke selected").exists()).isFalse();
    }

    @Test
    void enabledSessionIsOfferedBulkRevoke() {
        supportSwitch.enableChanges();
        navigate(CredentialsView.class);
        assertThat(find(Button.class).withText("Revoke selected").exists()).isTrue();
    }
}
