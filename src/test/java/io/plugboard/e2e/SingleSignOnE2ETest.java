package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.PlugboardTest;
import io.plugboard.sso.SsoFixture;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Single sign-on in a real browser (headless Chromium) against a real OpenID Connect provider (mock-oauth2-server):
 * the e-mail first, then the provider; a user created on first sign-in with the role of the claim, promoted at the
 * next sign-in; a wrong domain and a forged callback refused with a message; a tenant that requires single sign-on
 * refusing the password form except to its break-glass admin; the admin's Settings card, which never shows the
 * client secret. Takes docs/screenshots/settings-sso.png.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleSignOnE2ETest {

    private static final Path SCREENSHOTS = Path.of("docs", "screenshots");

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    private SsoFixture idp;
    private PortalBrowser browser;

    @BeforeAll
    void provider() {
        assumeTrue(PortalBrowser.installed(), "Skipped: no Chromium at " + PortalBrowser.CHROMIUM);
        idp = new SsoFixture();
    }

    @AfterAll
    void stopProvider() {
        if (idp != null) {
            idp.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = PortalBrowser.open("http://localhost:" + port, 1280, 900);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aFirstSignInCreatesTheUserAndTheClaimDecidesTheRoleAtEverySignIn() {
        TestTenant tenant = TestTenants.create(context, "sso-e2e");
        String issuerId = "e2e-" + UUID.randomUUID().toString().substring(0, 6);
        String domain = tenant.slug() + ".example";
        idp.configure(context, tenant.id(), issuerId, List.of(domain), "groups", List.of("pb-admins"),
                List.of("pb-auditors"), null, false);
        String email = "lin@" + domain;

        idp.nextSignIn(issuerId, email, "Lin Auditor", Map.of("groups", List.of("pb-auditors")));
        signInThroughProvider(email);
        browser.waitForText("h2", "Welcome, Lin Auditor");
        assertThat(role(email)).isEqualTo("AUDITOR");
        // An auditor has no Settings.
        assertThat(browser.driver().findElements(By.xpath("//vaadin-side-nav-item[normalize-space()='Settings']")))
                .isEmpty();
        browser.userMenu("Sign out");
        browser.waitForLoginPage();

        idp.nextSignIn(issuerId, email, "Lin Auditor", Map.of("groups", List.of("pb-admins")));
        signInThroughProvider(email);
        browser.waitForText("h2", "Welcome, Lin Auditor");
        assertThat(role(email)).isEqualTo("TENANT_ADMIN");
        browser.navigate("Settings", "settings");
        assertThat(browser.waitFor(By.id("sso-issuer")).getAttribute("value")).isEqualTo(idp.issuer(issuerId));
        assertThat(browser.driver().getPageSource()).doesNotContain(SsoFixture.CLIENT_SECRET);
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE actor_label = ? ORDER BY seq",
                String.class, email)).contains("user.created", "user.signin.succeeded", "user.role.changed");
    }

    @Test
    void aWrongDomainAndAForgedCallbackAreRefusedWithAMessage() {
        TestTenant tenant = TestTenants.create(context, "sso-e2e-refused");
        String issuerId = "refused-" + UUID.randomUUID().toString().substring(0, 6);
        String domain = tenant.slug() + ".example";
        idp.configure(context, tenant.id(), issuerId, List.of(domain), null, List.of(), List.of(), "AUDITOR", false);

        // The provider vouches for an address outside the tenant's domains.
        idp.nextSignIn(issuerId, "intruder@elsewhere.example", "Intruder", Map.of());
        browser.open("/login");
        browser.waitForLoginPage();
        browser.continueWithEmail("someone@" + domain);
        assertThat(loginError()).contains("intruder@elsewhere.example", "is not in a domain");
        assertThat(jdbc.queryForList("SELECT id FROM portal_users WHERE email = 'intruder@elsewhere.example'"))
                .isEmpty();

        // A callback this browser never started (forged state) signs nobody in.
        browser.open("/login/oauth2/code/t-" + tenant.id() + "?code=stolen-code&state=forged-state");
        assertThat(loginError()).contains("Single sign-on did not complete");
        assertThat(browser.driver().findElements(By.cssSelector("vaadin-app-layout"))).isEmpty();
    }

    @Test
    void aTenantThatRequiresSingleSignOnRefusesPasswordsButTheBreakGlassAdmins() {
        TestTenant tenant = TestTenants.create(context, "sso-e2e-required");
        String issuerId = "required-" + UUID.randomUUID().toString().substring(0, 6);
        String domain = tenant.slug() + ".example";
        idp.configure(context, tenant.id(), issuerId, List.of(domain), null, List.of(), List.of(), "AUDITOR", true);
        String colleague = "colleague@" + domain;
        jdbc.update("""
                INSERT INTO portal_users (id, tenant_id, email, display_name, role, password_hash, enabled, created_at,
                                          updated_at)
                SELECT gen_random_uuid(), tenant_id, ?, 'Colleague', 'TENANT_ADMIN', password_hash, true, now(), now()
                FROM portal_users WHERE email = ?""", colleague, tenant.adminEmail());

        // The password form, reached directly, still refuses: the tenant signs in through its provider.
        browser.open("/login?password");
        browser.signIn(colleague, TestTenants.ADMIN_PASSWORD);
        assertThat(loginError()).contains("single sign-on");

        UUID admin = jdbc.queryForObject("SELECT id FROM portal_users WHERE email = ?", UUID.class,
                tenant.adminEmail());
        SsoFixture.breakGlass(context, tenant.id(), admin);
        browser.open("/login?password");
        browser.signIn(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD);
        browser.waitForText("h2", "Welcome, Admin of " + tenant.slug());
    }

    @Test
    void anAdminConfiguresSingleSignOnInSettingsAndTheSecretIsNeverSentBack() {
        TestTenant tenant = TestTenants.create(context, "sso-e2e-settings");
        String issuerId = "settings-" + UUID.randomUUID().toString().substring(0, 6);
        browser.open("/login");
        browser.signIn(tenant.adminEmail(), TestTenants.ADMIN_PASSWORD);
        browser.waitForText("h2", "Welcome, Admin of " + tenant.slug());
        browser.navigate("Settings", "settings");

        type("sso-issuer", "http://example.com/not-https");
        click("sso-test");
        String refused = browser.until(d -> text("sso-test-result").contains("https") ? text("sso-test-result") : null);
        assertThat(refused).contains("must be an https:// URL");

        type("sso-issuer", idp.issuer(issuerId));
        click("sso-test");
        String found = browser.until(d -> text("sso-test-result").startsWith("Found") ? text("sso-test-result") : null);
        assertThat(found).contains(idp.issuer(issuerId) + "/authorize");
        type("sso-client-id", SsoFixture.CLIENT_ID);
        type("sso-client-secret", SsoFixture.CLIENT_SECRET);
        type("sso-domains", tenant.slug() + ".example");
        type("sso-role-claim", "groups");
        type("sso-admin-values", "pb-admins");
        click("sso-save");
        browser.until(d -> jdbc.queryForList("SELECT tenant_id FROM tenant_sso WHERE tenant_id = ?", tenant.id())
                .isEmpty() ? null : true);
        browser.waitForVaadin();
        // Saved, and the secret field empty again: the secret is never sent back.
        assertThat(browser.waitFor(By.cssSelector("#sso-client-secret input")).getAttribute("value")).isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain(SsoFixture.CLIENT_SECRET);

        browser.open("/settings");
        WebElement card = browser.waitFor(By.cssSelector(".sso-settings"));
        assertThat(browser.driver().getPageSource()).doesNotContain(SsoFixture.CLIENT_SECRET);
        assertThat(card.getText()).contains("A secret is stored", "/login/oauth2/code/t-" + tenant.id());
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].scrollIntoView({block: 'start'});", card);
        browser.settle();
        browser.screenshot(SCREENSHOTS.resolve("settings-sso.png"));
    }

    private void signInThroughProvider(String email) {
        browser.open("/login");
        browser.waitForLoginPage();
        browser.continueWithEmail(email);
        try {
            browser.until(d -> browser.path().startsWith("/login") ? null : true);
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot(Path.of("target", "e2e", "sso-sign-in-stuck.png"));
            throw new AssertionError("still at " + browser.path(), e);
        }
    }

    private String role(String email) {
        return jdbc.queryForObject("SELECT role FROM portal_users WHERE email = ?", String.class, email);
    }

    /** The sign-in page's error message, once it shows one. */
    private String loginError() {
        return browser.until(d -> {
            if (!browser.path().startsWith("/login")) {
                return null;
            }
            try {
                var forms = d.findElements(By.cssSelector("vaadin-login-form"));
                if (forms.isEmpty()) {
                    return null;
                }
                WebElement wrapper = forms.getFirst().getShadowRoot()
                        .findElement(By.cssSelector("vaadin-login-form-wrapper"));
                WebElement message = wrapper.getShadowRoot().findElement(By.cssSelector("[part=error-message]"));
                return message.isDisplayed() && !message.getText().isBlank() ? message.getText() : null;
            } catch (WebDriverException stillLoading) {
                // The page is still being replaced (redirects back from the provider): not there yet.
                return null;
            }
        });
    }

    private void type(String id, String value) {
        WebElement input = browser.waitFor(By.cssSelector("#" + id + " input"));
        input.clear();
        // Tab out: the field sends its value on change, which a scripted click would not trigger.
        input.sendKeys(value, Keys.TAB);
        browser.waitForVaadin();
    }

    private void click(String id) {
        WebElement button = browser.waitFor(By.id(id));
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].scrollIntoView({block: 'center'});"
                + "arguments[0].click();", button);
        browser.waitForVaadin();
    }

    private String text(String id) {
        return browser.driver().findElement(By.id(id)).getText();
    }
}
