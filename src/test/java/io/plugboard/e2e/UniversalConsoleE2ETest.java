package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.DemoSandboxTest;
import io.plugboard.PlugboardTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console's Universal mode in a real browser, on the demo with its sandbox: the demo admin connects two
 * Sandbox CRM accounts (the README's walkthrough), opens the API console, switches to Universal CRM, picks both
 * credentials and lists people across them; each card shows the sandbox's sample contacts in the normalized
 * model, and the toggle shows the sandbox's own records. Screenshots land in {@code target/e2e/}.
 */
@DemoSandboxTest
class UniversalConsoleE2ETest {

    private static final Path SCREENSHOTS = Path.of("target", "e2e");
    /** End users and sandbox accounts no other test in this context uses (a known account skips the consent). */
    private static final List<String> END_USERS = List.of("uni-console-amy", "uni-console-ben");
    private static final String SANDBOX_USER = "uni-console@sandbox.example";

    private PortalBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(PortalBrowser.installed(),
                "Skipped: no Chromium at " + PortalBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void openBrowser() {
        browser = PortalBrowser.open(DemoSandboxTest.PublicUrlOnFreePort.PUBLIC_URL, 1280, 900);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.screenshot(SCREENSHOTS.resolve("universal-console-last.png"));  // where it stopped, for a failure
            browser.close();
        }
    }

    @Test
    void adminListsPeopleAcrossTheDemosSandboxCrmCredentials() {
        browser.open("/");
        browser.signIn("admin@demo.local", PlugboardTest.DEMO_PASSWORD);
        browser.waitForText("h2", "Welcome, Demo Admin");
        connect(END_USERS.get(0), true);
        connect(END_USERS.get(1), false);

        browser.navigate("API console", "console");
        browser.waitFor(By.xpath("//nav[contains(@class,'console-modes')]/a[normalize-space()='Universal CRM']")).click();
        browser.until(d -> browser.path().startsWith("/console/universal") ? true : null);
        browser.waitForVaadin();
        WebElement search = browser.waitFor(By.cssSelector("vaadin-text-field.credential-search input"));
        search.sendKeys("uni-console");
        WebElement picker = browser.waitFor(By.cssSelector("main vaadin-grid"));
        browser.until(d -> filled(browser.gridRows(picker)).size() == 2 ? true : null);
        assertThat(filled(browser.gridRows(picker))).allSatisfy(row -> assertThat(String.join(" ", row))
                .contains("Sandbox CRM", "uni-console-", "Active"));
        for (int ticked = 0; ticked < 2; ticked++) {
            // The grid keeps the cells of rows the search hid: tick only boxes that are on screen.
            WebElement box = browser.until(d -> (WebElement) d.executeScript("""
                    return [...arguments[0].querySelectorAll('vaadin-grid-cell-content > vaadin-checkbox')]
                        .filter(b => !b.classList.contains('vaadin-grid-select-all-checkbox') && !b.hasAttribute('checked'))
                        .find(b => b.getBoundingClientRect().height > 0) || null;""", picker));
            box.click();
            browser.waitForVaadin();
        }
        browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Run for 2']"));

        WebElement operation = browser.waitFor(By.xpath("//vaadin-select[label[normalize-space()='Operation']]"));
        assertThat(operation.getText()).contains("List people");
        browser.waitFor(By.xpath("//vaadin-text-field[label[normalize-space()='Limit']]/input")).sendKeys("5");
        WebElement run = browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Run for 2']"));
        browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", run);
        run.click();

        // The cards fill in through polling: one per credential, each with the sandbox's sample contacts.
        List<WebElement> cards = browser.until(d -> {
            var done = d.findElements(By.cssSelector(".universal-card .universal-status"));
            return done.size() == 2 ? d.findElements(By.cssSelector(".universal-results > .universal-card")) : null;
        });
        assertThat(cards).hasSize(2).allSatisfy(card -> {
            assertThat(card.findElement(By.cssSelector(".universal-status")).getText()).isEqualTo("200");
            assertThat(card.getText()).contains("Sandbox CRM", "3 records", "Ada Lovelace", "ada@analytical.example",
                    "Grace Hopper");
        });
        browser.waitFor(By.xpath("//span[normalize-space()='2 of 2']"));
        browser.driver().executeScript("document.querySelector('.console-modes').scrollIntoView({block: 'end'})");
        browser.settle();
        browser.fullHeightScreenshot("main.console-page", SCREENSHOTS.resolve("universal-console.png"));

        // The toggle shows the sandbox's own records, with the fields the normalized model leaves out.
        WebElement original = browser.waitFor(By.xpath(
                "//vaadin-radio-button[normalize-space()=\"Provider's records (include=original)\"]"));
        browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", original);
        original.click();
        browser.until(d -> d.findElements(By.cssSelector(".universal-card pre.console-body")).size() == 2 ? true : null);
        assertThat(browser.driver().findElements(By.cssSelector(".universal-card pre.console-body")))
                .allSatisfy(pre -> assertThat(pre.getText()).contains("\"company\"", "Analytical Engines Ltd"));
        browser.settle();
        browser.screenshot(SCREENSHOTS.resolve("universal-console-original.png"));
    }

    /**
     * Connects Sandbox CRM for {@code endUser} in a second tab. The sandbox keeps its user signed in, so a second
     * connection goes from "Continue" straight to "Connected" with the same sandbox account.
     */
    private void connect(String endUser, boolean signIn) {
        // A fresh page each time: the launcher keeps the previous link's form filled in.
        browser.open("/");
        browser.waitForText("h2", "Welcome, Demo Admin");
        String link = SandboxWalkthrough.createLink(browser, endUser, endUser);
        String portal = browser.newTab();
        if (signIn) {
            SandboxWalkthrough.connect(browser, link, SANDBOX_USER, null, null);
        } else {
            browser.driver().get(link);
            browser.waitForVaadin();
            browser.until(ExpectedConditions.elementToBeClickable(By.xpath(
                    "//button[contains(@class,'connect-option')][span[normalize-space()='Sandbox CRM']]"))::apply).click();
            browser.until(ExpectedConditions.elementToBeClickable(By.xpath(
                    "//vaadin-button[normalize-space()='Continue to Sandbox CRM']"))::apply).click();
            browser.waitFor(By.cssSelector(".connect-success"));
        }
        browser.driver().close();
        browser.driver().switchTo().window(portal);
    }

    /** Rendered rows that hold data (the grid keeps empty placeholder rows around). */
    private static List<List<String>> filled(List<List<String>> rows) {
        return rows.stream().filter(r -> r.stream().anyMatch(c -> !c.isEmpty())).toList();
    }
}
