package io.plugboard.tenant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.RouteNotFoundError;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.PlugboardTest;
import io.plugboard.WithPortalUser;
import io.plugboard.ui.ShowOnceDialog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class SettingsViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EmbeddedPostgres postgres;

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

    @Test
    @WithPortalUser("admin@demo.local")
    void aTenantAdminCreatesRotatesAndRevokesTheSqlLoginShowingEachPasswordOnce() throws SQLException {
        navigate(SettingsView.class);
        test(find(Button.class).withText("Create SQL login").single()).click();
        List<String> created = shownOnce();
        String role = created.get(0);
        assertThat(role).startsWith("plugboard_sql_");
        assertThat(created.get(2)).isEqualTo("psql \"host=localhost port=" + postgres.getPort()
                + " dbname=postgres user=" + role + "\"");
        try (Connection sql = connect(role, created.get(1))) {
            assertThat(sql.isValid(5)).isTrue();
        }
        assertThat(find(Span.class).withClassName("sql-login-user").single().getText()).isEqualTo(role);

        test(find(Button.class).withText("Rotate password").single()).click();
        test(find(ConfirmDialog.class).single()).confirm();
        List<String> rotated = shownOnce();
        assertThat(rotated.get(0)).isEqualTo(role);
        assertThatThrownBy(() -> connect(role, created.get(1)).close()).isInstanceOf(SQLException.class);
        connect(role, rotated.get(1)).close();

        test(find(Button.class).withText("Revoke").single()).click();
        test(find(ConfirmDialog.class).single()).confirm();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_roles WHERE rolname = ?", Long.class, role)).isZero();
        assertThat(find(Button.class).withText("Create SQL login").exists()).isTrue();
        assertThat(find(Span.class).withClassName("sql-login-user").exists()).isFalse();
    }

    /** The values of the show-once dialog (user, password, command line), closed afterwards. */
    private List<String> shownOnce() {
        ShowOnceDialog shown = find(ShowOnceDialog.class).single();
        List<String> values = find(Span.class, shown).withClassName("show-once-value").all().stream()
                .map(Span::getText).toList();
        test(find(Button.class, shown).withText("I have stored it").single()).click();
        return values;
    }

    private Connection connect(String role, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", role,
                password);
    }
}
