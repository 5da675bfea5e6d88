package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.proxy.SecondInstance;
import io.plugboard.security.AppRoles;
import io.plugboard.tenant.NewUser;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.tenant.UserScope;
import io.plugboard.tenant.UserService;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A tenant admin has the settings page open and the "Rotate the client secret?" dialog up. Meanwhile, in another
 * session, a colleague disables them, demotes them or resets their password, or a platform admin suspends the
 * tenant. Their click on "Rotate" then runs nothing: the browser lands on the sign-in page, which says why, the
 * refusal is in the audit trail, and the secret is the one it was. Also across two application instances.
 */
@PlugboardTest
class AccessEndsE2ETest {

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserService users;
    @Autowired
    TenantService tenants;

    private PortalBrowser browser;

    enum Change {
        DISABLE("disabled", "Your account was disabled."),
        DEMOTE("role_changed", "Your role was changed."),
        RESET_PASSWORD("access_changed", "Your password was reset"),
        SUSPEND_TENANT("tenant_suspended", "account was suspended");

        final String reason;
        final String message;

        Change(String reason, String message) {
            this.reason = reason;
            this.message = message;
        }
    }

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(PortalBrowser.installed(), "Skipped: no Chromium at " + PortalBrowser.CHROMIUM);
    }

    @AfterEach
    void closeBrowser() {
        SignedIn.out();
        if (browser != null) {
            browser.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Change.class)
    void aClickOnAPageAlreadyOpenIsRefusedAfterTheChange(Change change) throws Exception {
        TestTenant tenant = TestTenants.create(context, "access");
        String colleague = colleagueOf(tenant);
        browser = PortalBrowser.open("http://localhost:" + port, 1280, 800);
        Timestamp issued = openRotateDialog(tenant);

        apply(change, tenant, colleague);
        Thread.sleep(1_000); // "within a second", on every instance

        assertRefusedOnClick(tenant, change, issued);
    }

    @Test
    void aChangeOnOneInstanceEndsTheSessionOnAnotherWithinASecond() throws Exception {
        SecondInstance second = SecondInstance.on(context);
        TestTenant tenant = TestTenants.create(context, "access2");
        String colleague = colleagueOf(tenant);
        browser = PortalBrowser.open("http://localhost:" + second.port(), 1280, 800);
        Timestamp issued = openRotateDialog(tenant);

        // Disabled here, on the test's instance; the browser's session lives on the second one.
        apply(Change.DISABLE, tenant, colleague);
        Thread.sleep(1_000);

        assertRefusedOnClick(tenant, Change.DISABLE, issued);
    }

    private Timestamp openRotateDialog(TestTenant tenant) {
        browser.open("/login");
        browser.signIn(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD);
        browser.waitFor(By.cssSelector(".tenant-chip"));
        browser.open("/settings");
        browser.waitForVaadin();
        browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Rotate client secret']")).click();
        browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Rotate']"));
        browser.waitForVaadin();
        return issuedAt(tenant);
    }

    private void assertRefusedOnClick(TestTenant tenant, Change change, Timestamp issued) {
        browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Rotate']")).click();

        browser.until(d -> browser.path().equals("/login?reason=" + change.reason) ? true : null);
        browser.waitForLoginPage();
        WebElement error = browser.until(d -> {
            WebElement wrapper = d.findElement(By.cssSelector("vaadin-login-form")).getShadowRoot()
                    .findElement(By.cssSelector("vaadin-login-form-wrapper"));
            WebElement message = wrapper.getShadowRoot().findElement(By.cssSelector("[part=error-message]"));
            return message.isDisplayed() && message.getText().contains(change.message) ? message : null;
        });
        assertThat(error.getText()).contains("You were signed out");
        assertThat(issuedAt(tenant)).as("the secret was not rotated").isEqualTo(issued);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'tenant.client_secret.rotated'", Long.class, tenant.id())).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'auth.session.refused' "
                + "AND actor_label = ? AND details LIKE ?", Long.class, tenant.adminEmail(),
                "%\"reason\":\"" + change.reason + "\"%")).isEqualTo(1);
    }

    /** A second tenant admin, who makes the change in their own session. */
    private String colleagueOf(TestTenant tenant) {
        String colleague = "colleague@" + tenant.slug() + ".example";
        SignedIn.as(jdbc, tenant.adminEmail());
        users.create(UserScope.tenant(tenant.id()), new NewUser(colleague, "Colleague", AppRoles.TENANT_ADMIN,
                TestTenants.ADMIN_PASSWORD));
        SignedIn.out();
        return colleague;
    }

    private void apply(Change change, TestTenant tenant, String colleague) {
        UUID admin = jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class, tenant.adminEmail());
        UserScope scope = UserScope.tenant(tenant.id());
        SignedIn.as(jdbc, colleague);
        switch (change) {
            case DISABLE -> users.setEnabled(scope, admin, false);
            case DEMOTE -> users.update(scope, admin, "Admin of " + tenant.slug(), AppRoles.AUDITOR);
            case RESET_PASSWORD -> users.resetPassword(scope, admin, null);
            case SUSPEND_TENANT -> {
                SignedIn.as(jdbc, "platform@plugboard.local");
                tenants.suspend(tenant.id());
            }
        }
        SignedIn.out();
    }

    private Timestamp issuedAt(TestTenant tenant) {
        return jdbc.queryForObject("SELECT secret_rotated_at FROM tenants WHERE id = ?", Timestamp.class, tenant.id());
    }
}
