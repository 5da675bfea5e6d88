package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.DemoSandboxTest;
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

/**
 * The README's demo walkthrough in a real browser: the demo admin creates a connect link, opens it in
 * a second tab, chooses Sandbox CRM, signs in at the sandbox as a fictional user and allows access;
 * the callback says "Connected", the launcher tab sees the new credential without a reload, and the
 * credential is listed under Credentials. Screenshots land in {@code target/e2e/}.
 */
@DemoSandboxTest
class SandboxConnectE2ETest {

    private static final Path SCREENSHOTS = Path.of("target", "e2e");
    /**
     * Any e-mail signs in at the sandbox with the password "sandbox". One no other test in this context
     * uses: an account that already allowed access skips the consent page.
     */
    private static final String SANDBOX_USER = "jane.cooper@sandbox.example";

    private PortalBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(Files.isExecutable(PortalBrowser.CHROMIUM),
                "Skipped: no Chromium at " + PortalBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void openBrowser() {
        browser = PortalBrowser.open(DemoSandboxTest.PublicUrlOnFreePort.PUBLIC_URL, 1280, 800);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.screenshot(SCREENSHOTS.resolve("sandbox-last.png"));  // where it stopped, for a failure
            browser.close();
        }
    }

    @Test
    void adminConnectsASandboxCrmAccountThroughTheSandboxSignIn() {
        browser.open("/");
        browser.signIn("admin@demo.local", PlugboardTest.DEMO_PASSWORD);
        browser.waitForText("h2", "Welcome, Demo Admin");

        String link = SandboxWalkthrough.createLink(browser, "jane-crm", "Jane Cooper");
        String launcher = browser.newTab();
        String credentialId = SandboxWalkthrough.connect(browser, link, SANDBOX_USER, SCREENSHOTS, null);

        // The launcher tab, polling, shows the new credential; the sandbox sign-in did not sign the admin out.
        browser.driver().switchTo().window(launcher);
        WebElement connected = browser.waitFor(By.xpath("//div[contains(@class,'connect-result')]//a[normalize-space()='"
                + credentialId + "']"));
        assertThat(connected.getText()).isEqualTo(credentialId);
        browser.settle();
        browser.screenshot(SCREENSHOTS.resolve("sandbox-launcher.png"));

        browser.navigate("Credentials", "credentials");
        WebElement grid = browser.waitFor(By.cssSelector("main vaadin-grid"));
        List<List<String>> rows = browser.until(d -> {
            var loaded = browser.gridRows(grid);
            return loaded.stream().anyMatch(row -> row.contains("jane-crm")) ? loaded : null;
        });
        assertThat(rows).anySatisfy(row -> {
            assertThat(row).contains("jane-crm", "Active");
            assertThat(row).anySatisfy(cell -> assertThat(cell).contains("Sandbox CRM"));  // after its monogram
        });
        browser.settle();
        browser.screenshot(SCREENSHOTS.resolve("sandbox-credentials.png"));
    }
}
