package io.plugboard.support.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.RouteNotFoundError;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.WithPortalUser;
import io.plugboard.security.CurrentUser;
import io.plugboard.support.SupportMatch;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The Support page: search, results, opening a tenant with a reason; and who may open the page at all. */
class SupportViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CurrentUser currentUser;

    @Test
    @WithPortalUser("support@plugboard.local")
    void customerSuccessFindsTheTenantAndOpensItWithAReason() {
        navigate(SupportView.class);
        test(find(TextField.class).single()).setValue("Demo Realty");
        test(find(Button.class).withText("Search").single()).click();

        GridTester<Grid<SupportMatch>, SupportMatch> results = test(grid());
        assertThat(results.size()).isEqualTo(1);
        SupportMatch demo = results.getRow(0);
        assertThat(demo.tenantName()).isEqualTo("Demo Realty");
        assertThat(demo.kind()).isEqualTo(SupportMatch.Kind.TENANT_NAME);
        assertThat(find(Span.class).withText("1 match").exists()).isTrue();

        test((Button) results.getCellComponent(0, 5)).click();
        Dialog dialog = find(Dialog.class).single();
        test(find(Button.class, dialog).withText("Open tenant").single()).click();
        assertThat(currentUser.tenant()).as("no reason, no switch").isEmpty();

        String reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": agent cannot connect Lofty";
        test(find(TextArea.class, dialog).single()).setValue(reason);
        test(find(Button.class, dialog).withText("Open tenant").single()).click();
        assertThat(currentUser.tenant()).hasValueSatisfying(t -> {
            assertThat(t.tenantId()).isEqualTo(demo.tenantId());
            assertThat(t.supportReason()).isEqualTo(reason);
            assertThat(t.readOnly()).isTrue();
        });
        Map<String, Object> switched = jdbc.queryForMap("""
                SELECT tenant_id, actor_label FROM audit_events WHERE action = 'support.tenant.switched' AND reason = ?""",
                reason);
        assertThat(switched.get("tenant_id")).isEqualTo(demo.tenantId());
        assertThat(switched.get("actor_label")).isEqualTo("support@plugboard.local");
    }

    @Test
    @WithPortalUser("platform@plugboard.local")
    void platformAdminsSearchButDoNotOpenTenants() {
        navigate(SupportView.class);
        test(find(TextField.class).single()).setValue("demo");
        test(find(Button.class).withText("Search").single()).click();
        assertThat(test(grid()).size()).isPositive();
        assertThat(grid().getColumns()).as("no column with an Open tenant button").hasSize(5);
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void aTooShortQueryIsExplainedAndNotRun() {
        navigate(SupportView.class);
        test(find(TextField.class).single()).setValue("de");
        test(find(Button.class).withText("Search").single()).click();
        assertThat(find(Grid.class).exists()).as("no results shown").isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'support.search' "
                + "AND details LIKE '%\"query\":\"de\"%'", Long.class)).isZero();
    }

    @Test
    void tenantAdminsAndAuditorsCannotOpenTheSupportPage() {
        for (String user : new String[] {"admin@demo.local", "auditor@demo.local"}) {
            SignedIn.as(jdbc, user);
            assertThatThrownBy(() -> navigate(SupportView.class)).isInstanceOf(IllegalArgumentException.class);
            assertThat(getCurrentView()).isInstanceOf(RouteNotFoundError.class);
        }
    }

    @SuppressWarnings("unchecked")
    private Grid<SupportMatch> grid() {
        return find(Grid.class).single();
    }
}
