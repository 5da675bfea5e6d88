package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.PlugboardTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The portal in a real browser (headless Debian Chromium): sign in as the demo tenant admin, see the
 * dashboard, find the sign-in in the audit log, sign out; and a wrong password. Screenshots of the
 * dashboard and the audit log land in {@code target/e2e/} for debugging.
 */
@PlugboardTest
class SignInJourneyE2ETest {

    private static final String ADMIN = "admin@demo.local";
    private static final Path SCREENSHOTS = Path.of("target", "e2e");

    @LocalServerPort
    int port;

    private PortalBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        // CI installs chromium and chromium-driver (.ci/run), so there this test always runs.
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
    void adminSignsInFindsTheSignInInTheAuditLogAndSignsOut() {
        browser.open("/");
        browser.waitForLoginPage();

        browser.signIn(ADMIN, PlugboardTest.DEMO_PASSWORD);
        browser.waitForText("h2", "Welcome, Demo Admin");
        assertThat(browser.path()).doesNotContain("login");
        assertThat(browser.waitFor(By.cssSelector(".tenant-chip")).getText()).isEqualTo("Demo Realty");
        assertThat(browser.waitFor(By.cssSelector(".user-menu .user-name")).getText()).isEqualTo("Demo Admin");
        browser.waitForVaadin();
        browser.screenshot(SCREENSHOTS.resolve("dashboard.png"));

        browser.navigate("Audit log", "audit");
        WebElement actorFilter = browser.waitFor(
                By.xpath("//vaadin-text-field[label[normalize-space()='Actor']]/input"));
        actorFilter.sendKeys(ADMIN);
        WebElement grid = browser.waitFor(By.cssSelector("main.page vaadin-grid"));
        // Wait until the filter has been applied (every loaded row is the admin's) and the sign-in is there.
        List<List<String>> rows = browser.until(d -> {
            List<List<String>> loaded = browser.gridRows(grid).stream()
                    .filter(row -> row.stream().anyMatch(cell -> !cell.isEmpty())).toList();
            boolean filtered = !loaded.isEmpty() && loaded.stream().allMatch(row -> row.contains(ADMIN));
            boolean found = loaded.stream().anyMatch(row -> row.contains("user.signin.succeeded"));
            return filtered && found ? loaded : null;
        });
        assertThat(rows).anySatisfy(row -> assertThat(row).contains(ADMIN, "user.signin.succeeded"));
        browser.waitForVaadin();
        browser.screenshot(SCREENSHOTS.resolve("audit-log.png"));

        browser.userMenu("Sign out");
        browser.waitForLoginPage();

        // The session is gone: the portal sends us back to the login page.
        browser.open("/audit");
        browser.waitForLoginPage();
    }

    @Test
    void wrongPasswordSaysInvalidCredentials() {
        browser.open("/login");
        browser.signIn("auditor@demo.local", "not-the-password-at-all");

        browser.until(d -> browser.path().startsWith("/login?error") ? true : null);
        browser.waitForLoginPage();
        WebElement error = browser.until(d -> {
            WebElement wrapper = d.findElement(By.cssSelector("vaadin-login-form")).getShadowRoot()
                    .findElement(By.cssSelector("vaadin-login-form-wrapper"));
            WebElement message = wrapper.getShadowRoot().findElement(By.cssSelector("[part=error-message]"));
            return message.isDisplayed() && message.getText().contains("Invalid credentials") ? message : null;
        });
        assertThat(error.getText()).contains("Sign-in failed", "Invalid credentials");
        assertThat(browser.driver().findElements(By.cssSelector("vaadin-app-layout"))).isEmpty();
    }
}
