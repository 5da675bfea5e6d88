package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.PlugboardTest;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Customer success have a tenant's page open in one tab and end the support session in another. A click on the
 * first tab's page ("Enable changes") then runs nothing: it is audited as refused and the browser goes to the tenant
 * chooser, which says the session was ended.
 */
@PlugboardTest
class SupportSessionEndsE2ETest {

    private static final String SUPPORT = "support@plugboard.local";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private PortalBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(PortalBrowser.installed(), "Skipped: no Chromium at " + PortalBrowser.CHROMIUM);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aClickOnAPageOfASupportSessionEndedInAnotherTabIsRefused() {
        String reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": check the venue metadata";
        browser = PortalBrowser.open("http://localhost:" + port, 1280, 800);
        browser.open("/");
        browser.signInWithSecondFactor(SUPPORT, PlugboardTest.DEMO_PASSWORD);
        browser.waitFor(By.cssSelector(".tenant-chip"));
        browser.waitForVaadin();
        browser.navigate("Support", "support");
        browser.waitFor(By.cssSelector("main.page vaadin-text-field input")).sendKeys("Demo Realty");
        browser.waitForText("vaadin-button", "Search").click();
        browser.waitForText("vaadin-button", "Open tenant").click();
        browser.waitFor(By.xpath("//vaadin-text-area[label[normalize-space()='Reason']]/textarea")).sendKeys(reason);
        browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Cancel']"
                + "/following-sibling::vaadin-button[normalize-space()='Open tenant']")).click();
        browser.until(d -> browser.path().equals("/") ? true : null);
        browser.waitFor(By.cssSelector(".support-banner"));
        browser.waitForVaadin();

        String first = browser.newTab();
        browser.open("/");
        browser.waitForText("vaadin-button", "End support session").click();
        browser.until(d -> browser.path().startsWith("/support/switch") ? true : null);
        browser.waitForVaadin();
        String second = browser.driver().getWindowHandle();

        browser.driver().switchTo().window(first);
        // A background tab is not laid out again in headless Chromium; the user looks at the tab they click in.
        browser.driver().executeCdpCommand("Page.bringToFront", java.util.Map.of());
        // Coming to the front may itself make a round trip (the layout reports its size); that one is refused as well
        // and the page goes before the click. Otherwise the click is the round trip refused.
        browser.until(d -> {
            if (browser.path().startsWith("/support/switch")) {
                return true;
            }
            try {
                d.findElement(By.xpath("//vaadin-button[normalize-space()='Enable changes']")).click();
            } catch (WebDriverException goneOrReplaced) {
                // refused already, or re-rendered: look again
            }
            return null;
        });
        browser.until(d -> browser.path().equals("/support/switch?ended=on_demand") ? true : null);
        browser.waitForText("p", "You ended the support session.");
        assertThat(second).isNotEqualTo(first);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_events WHERE actor_label = ? AND reason = ?
                AND action = 'support.request.refused'""", Long.class, SUPPORT, reason)).isEqualTo(1);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_events WHERE actor_label = ? AND reason = ?
                AND action = 'support.changes.enabled'""", Long.class, SUPPORT, reason)).isZero();
    }
}
