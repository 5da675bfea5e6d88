package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.DemoSandboxTest;
import io.plugboard.PlugboardTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Sync page in a real browser, on the demo with its sandbox and its sync worker running: the demo admin
 * connects a Sandbox CRM account, turns on sync for its people and notes from the page, and watches the backfill
 * finish. The page's screenshot lands in {@code target/e2e/sync.png} (the one in {@code docs/screenshots/}).
 */
@DemoSandboxTest
class SyncPageE2ETest {

    private static final Path SCREENSHOTS = Path.of("target", "e2e");
    /** An end user and sandbox account no other test in this context uses (a known account skips the consent). */
    private static final String END_USER = "sync-page-amy";

    private PortalBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(PortalBrowser.installed(),
                "Skipped: no Chromium at " + PortalBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void openBrowser() {
        browser = PortalBrowser.open(DemoSandboxTest.PublicUrlOnFreePort.PUBLIC_URL, 1280, 800);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.screenshot(SCREENSHOTS.resolve("sync-last.png"));  // where it stopped, for a failure
            browser.close();
        }
    }

    @Test
    void adminTurnsOnSyncForASandboxCrmAccountAndSeesTheBackfillDone() {
        browser.open("/");
        browser.signIn("admin@demo.local", PlugboardTest.DEMO_PASSWORD);
        browser.waitForText("h2", "Welcome, Demo Admin");
        String link = SandboxWalkthrough.createLink(browser, END_USER, "Amy Sync");
        String portal = browser.newTab();
        String credential = SandboxWalkthrough.connect(browser, link, "sync-page@sandbox.example", null, null);
        browser.driver().close();
        browser.driver().switchTo().window(portal);

        browser.navigate("Sync", "sync");
        click(By.xpath("//vaadin-button[normalize-space()='Turn on sync']"));
        browser.waitFor(By.cssSelector("vaadin-combo-box input")).sendKeys(END_USER);
        click(By.xpath("//vaadin-combo-box-item[contains(normalize-space(), '" + END_USER + "')]"));
        click(By.xpath("//vaadin-checkbox[label[normalize-space()='notes']]"));
        click(By.xpath("//vaadin-button[normalize-space()='Start syncing']"));
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("vaadin-dialog[opened]"))::apply);
        browser.waitForVaadin();

        // The worker backfills within a poll or two; Refresh shows where it stands.
        By card = By.cssSelector(".sync-card[data-credential='" + credential + "']");
        new WebDriverWait(browser.driver(), Duration.ofSeconds(60), Duration.ofSeconds(2))
                .ignoring(StaleElementReferenceException.class).until(d -> {
            click(By.xpath("//vaadin-button[normalize-space()='Refresh']"));
            browser.waitForVaadin();
            String text = d.findElement(card).getText();
            return !text.contains("backfill") && !text.contains("running") && text.contains("incremental");
        });
        WebElement synced = browser.waitFor(card);
        assertThat(synced.getText()).contains("people", "notes", "scheduled", "15 minutes", "Pause", "Run now")
                .doesNotContain("failing");
        browser.settle();
        browser.screenshot(SCREENSHOTS.resolve("sync.png"));
    }

    private void click(By locator) {
        browser.until(ExpectedConditions.elementToBeClickable(locator)::apply).click();
    }
}
