package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestCodes;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A tenant admin sets up an authenticator app on their Security page (the code computed here from the key the page
 * shows, as the app would), signs out, and signs in again with the password and then a code; a wrong code first.
 */
@PlugboardTest
class SecondFactorE2ETest {

    private static final Path SCREENSHOTS = Path.of("target", "e2e");

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    private PortalBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(Files.isExecutable(PortalBrowser.CHROMIUM),
                "Skipped: no Chromium at " + PortalBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void openBrowser() {
        browser = PortalBrowser.open("http://localhost:" + port, 1280, 800);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void enrolThenSignInWithACode() {
        TestTenant tenant = TestTenants.create(context, "totp-e2e");
        String email = tenant.adminEmail();
        browser.open("/");
        browser.signIn(email, TestTenants.ADMIN_PASSWORD);
        browser.waitFor(By.cssSelector("vaadin-button.user-menu"));

        browser.open("/account/security");
        browser.waitForText("vaadin-button", "Set up an authenticator app").click();
        String key = browser.waitFor(By.cssSelector(".enrolment-secret")).getText();
        assertThat(browser.waitFor(By.cssSelector("img.enrolment-qr")).getAttribute("src"))
                .startsWith("data:image/svg+xml;base64,");
        browser.settle();
        browser.screenshot(SCREENSHOTS.resolve("second-factor-enrol.png"));
        long step = TestCodes.currentStep();
        browser.typeInto(".enrolment-code", TestCodes.totpAtStep(key, step));
        browser.waitForText("vaadin-button", "Confirm").click();
        browser.rememberKey(email, key, step);

        Integer codes = browser.until(d -> {
            int shown = d.findElements(By.cssSelector(".recovery-codes li")).size();
            return shown > 0 ? shown : null;
        });
        assertThat(codes.intValue()).isEqualTo(10);
        browser.waitFor(By.cssSelector("vaadin-button.recovery-codes-done")).click();
        assertThat(browser.waitFor(By.cssSelector(".second-factor-state")).getText()).startsWith("On:");
        assertThat(browser.driver().getPageSource()).as("the key is gone from the page")
                .doesNotContain(key);

        browser.userMenu("Sign out");
        browser.waitForLoginPage();
        browser.signIn(email, TestTenants.ADMIN_PASSWORD);
        browser.until(d -> browser.path().contains("/sign-in/second-factor") ? true : null);
        browser.waitForVaadin();
        browser.settle();
        browser.screenshot(SCREENSHOTS.resolve("second-factor-code.png"));

        browser.typeInto(".second-factor-code", wrongCode(key));
        browser.waitForText("vaadin-button", "Verify").click();
        browser.waitFor(By.xpath("//vaadin-text-field[contains(@class,'second-factor-code') and @invalid]"));
        assertThat(browser.path()).contains("/sign-in/second-factor");

        browser.typeInto(".second-factor-code", browser.nextCode(email));
        browser.waitForText("vaadin-button", "Verify").click();
        browser.until(d -> !browser.path().contains("sign-in") && !browser.path().contains("login") ? true : null);
        assertThat(browser.waitFor(By.cssSelector(".user-menu .user-name")).getText()).isEqualTo("Admin of " + tenant.slug());
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_events WHERE action = 'user.signin.succeeded' AND actor_label = ?
                AND details LIKE '%"secondFactor":"totp"%'""", Long.class, email)).isEqualTo(1);
    }

    /** A six-digit code that is none of the window's. */
    private static String wrongCode(String key) {
        long now = TestCodes.currentStep();
        for (String candidate : new String[] {"000000", "111111", "222222", "333333"}) {
            boolean valid = false;
            for (long step = now - 1; step <= now + 2; step++) {
                valid |= candidate.equals(TestCodes.totpAtStep(key, step));
            }
            if (!valid) {
                return candidate;
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
