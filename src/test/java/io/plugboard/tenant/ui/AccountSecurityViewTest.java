package io.plugboard.tenant.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.VaadinSession;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.security.PortalSessions;
import io.plugboard.tenant.AccountSessions.ActiveSession;
import io.plugboard.tenant.NewUser;
import io.plugboard.tenant.TestCodes;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.tenant.UserScope;
import io.plugboard.tenant.UserService;
import io.plugboard.security.AppRoles;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;

/** The Security page (set up a second factor, the sessions list) and an admin's reset on the Users page. */
class AccountSecurityViewTest extends BrowserlessViewTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    private TestTenant tenant;

    @BeforeEach
    void freshTenant() {
        tenant = TestTenants.create(context, "security-page");
        SignedIn.as(jdbc, tenant.adminEmail());
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aUserSetsUpAnAuthenticatorAndSeesTheRecoveryCodesOnce() {
        navigate(AccountSecurityView.class);
        assertThat(find(com.vaadin.flow.component.html.Paragraph.class).withClassName("second-factor-state").single()
                .getText()).startsWith("Off.");
        click("Set up an authenticator app");
        String key = find(Span.class).withClassName("enrolment-secret").single().getText();

        test(find(TextField.class).withClassName("enrolment-code").single()).setValue("12345");
        click("Confirm");
        assertThat(find(TextField.class).withClassName("enrolment-code").single().isInvalid()).isTrue();

        test(find(TextField.class).withClassName("enrolment-code").single())
                .setValue(TestCodes.totpAtStep(key, TestCodes.currentStep()));
        click("Confirm");
        assertThat(find(ListItem.class).all()).hasSize(10);
        click("Done");

        assertThat(find(ListItem.class).all()).as("shown once").isEmpty();
        assertThat(find(Span.class).withClassName("second-factor-state").single().getText()).startsWith("On:")
                .contains("10 of 10");
        assertThat(find(Span.class).withClassName("enrolment-secret").exists()).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSessionsListMarksThisSessionAndSignsOutTheOthers() {
        UUID userId = jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class, tenant.adminEmail());
        UUID here = session(userId, "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36");
        UUID elsewhere = session(userId, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0");
        VaadinSession.getCurrent().getSession().setAttribute(PortalSessions.ATTRIBUTE, here);

        navigate(AccountSecurityView.class);
        var grid = test((Grid<ActiveSession>) find(Grid.class).withClassName("sessions-grid").single());
        assertThat(grid.size()).isEqualTo(2);
        assertThat(List.of(grid.getRow(0), grid.getRow(1))).filteredOn(ActiveSession::current)
                .extracting(ActiveSession::id).containsExactly(here);
        assertThat(Browsers.describe(grid.getRow(0).current() ? grid.getRow(1).userAgent() : grid.getRow(0).userAgent()))
                .isEqualTo("Firefox on Windows");

        click("Sign out everywhere else");

        assertThat(jdbc.queryForObject("SELECT ended_reason FROM portal_sessions WHERE id = ?", String.class, elsewhere))
                .isEqualTo("signed_out_everywhere");
        assertThat(jdbc.queryForObject("SELECT ended_at IS NULL FROM portal_sessions WHERE id = ?", Boolean.class, here))
                .isTrue();
        assertThat(grid.size()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTenantAdminResetsAColleaguesSecondFactorOnlyWithAReason() {
        String colleague = "colleague-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        context.getBean(UserService.class).create(UserScope.tenant(tenant.id()),
                new NewUser(colleague, "Colleague", AppRoles.AUDITOR, TestTenants.ADMIN_PASSWORD));
        UUID colleagueId = jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class, colleague);
        SignedIn.as(jdbc, colleague);
        var factors = context.getBean(io.plugboard.tenant.SecondFactors.class);
        var enrolment = factors.begin(colleague);
        factors.confirm(enrolment, TestCodes.totp(enrolment.secret(), 0));
        SignedIn.as(jdbc, tenant.adminEmail());

        navigate(UsersView.class);
        test(find(TextField.class).withPlaceholder("Search by e-mail or name").single()).setValue(colleague);
        var users = test((Grid<io.plugboard.tenant.UserRow>) find(Grid.class).single());
        assertThat(users.size()).isEqualTo(1);
        var actions = users.getCellComponent(0, users.getComponent().getColumns().size() - 1);
        actions.getChildren().filter(c -> c instanceof Button b && "Reset second factor".equals(b.getText()))
                .map(Button.class::cast).findFirst().orElseThrow().click();
        Dialog dialog = find(Dialog.class).single();
        test(find(Button.class, dialog).withText("Reset second factor").single()).click();
        assertThat(find(Notification.class).all()).anySatisfy(n -> assertThat(test(n).getText()).contains("Say why"));
        assertThat(factorRows(colleagueId)).isEqualTo(1);

        test(find(TextArea.class, dialog).withLabel("Reason").single()).setValue("Lost phone, confirmed in person");
        test(find(Button.class, dialog).withText("Reset second factor").single()).click();

        assertThat(factorRows(colleagueId)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'user.second_factor.reset' "
                + "AND target_id = ? AND reason = 'Lost phone, confirmed in person'", Long.class,
                colleagueId.toString())).isEqualTo(1);
    }

    private long factorRows(UUID userId) {
        return jdbc.queryForObject("SELECT count(*) FROM portal_user_factors WHERE user_id = ?", Long.class, userId);
    }

    private UUID session(UUID userId, String agent) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO portal_sessions (id, user_id, tenant_id, started_at, last_seen_at, user_agent, source_ip)
                VALUES (?, ?, ?, now(), now(), ?, '192.0.2.7')""", id, userId, tenant.id(), agent);
        return id;
    }

    private void click(String caption) {
        test(find(Button.class).withText(caption).single()).click();
    }
}
