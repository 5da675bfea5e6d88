package io.plugboard.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The launcher refuses the tenant-wide token subjects as end-user ids, on the field, and makes no link. */
@WithPortalUser("admin@demo.local")
class ConnectLauncherEndUserIdTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aReservedIdIsRefusedOnTheFieldAndAnOrdinaryOneGetsALink() {
        navigate(ConnectLauncherView.class);
        TextField endUserId = find(TextField.class).withLabel("End user id").single();
        for (String reserved : List.of("tenant", " TENANT ", "Tenant:X", "tenant:anything")) {
            test(endUserId).setValue(reserved);
            test(find(Button.class).withText("Create link").single()).click();

            assertThat(endUserId.isInvalid()).as(reserved).isTrue();
            assertThat(endUserId.getErrorMessage()).isEqualTo("“tenant” and ids starting with “tenant:” are reserved "
                    + "for the tenant’s own API tokens. Choose another id.");
            assertThat(find(TextField.class).withLabel("Connect link").exists()).isFalse();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_sessions WHERE lower(btrim(end_user_id)) = "
                + "'tenant' OR lower(btrim(end_user_id)) LIKE 'tenant:%'", Integer.class)).isZero();

        String ordinary = "my-tenant-" + UUID.randomUUID().toString().substring(0, 8);
        test(endUserId).setValue(ordinary);
        test(find(Button.class).withText("Create link").single()).click();

        assertThat(endUserId.isInvalid()).isFalse();
        assertThat(find(TextField.class).withLabel("Connect link").single().getValue()).contains("/connect/");
    }
}
