package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.PlugboardTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Customer success in a real browser: find the demo tenant on the Support page, open it with a reason, see the
 * banner with the reason and a countdown that really ticks, find the switch in the tenant's audit log, enable
 * changes, sign out — and the support session's end is audited as a sign-out.
 */
@PlugboardTest
class SupportJourneyE2ETest {

    private static final String SUPPORT = "support@plugboard.local";
    private static final Path SCREENSHOTS = Path.of("target", "e2e");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private PortalBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(PortalBrowser.installed(),
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
    void supportOpensATenantWithAReasonSeesTheBannerAndTheSwitchInTheAuditLog() {
        String reason = "Ticket " + UUID.randomUUID().toString().substring(0, 8) + ": venue missing on a credential";
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
        WebElement banner = browser.waitFor(By.cssSelector(".support-banner"));
        browser.waitForVaadin();
        assertThat(banner.findElement(By.cssSelector(".support-where")).getText())
                .isEqualTo("Customer-success access to Demo Realty · Reason: " + reason);
        assertThat(banner.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Read-only");
        assertThat(browser.waitFor(By.cssSelector(".tenant-chip")).getText()).isEqualTo("Demo Realty");
        // The countdown runs in the browser: the text changes with no server round trip asked for.
        String first = remaining(banner);
        assertThat(first).matches("(60:00|59:[0-5]\\d) left");
        String later = browser.until(d -> {
            String now = remaining(banner);
            return now.equals(first) ? null : now;
        });
        assertThat(later).matches("59:[0-5]\\d left");
        browser.screenshot(SCREENSHOTS.resolve("support-banner.png"));

        browser.navigate("Audit log", "audit");
        browser.waitFor(By.xpath("//vaadin-text-field[label[normalize-space()='Actor']]/input")).sendKeys(SUPPORT);
        WebElement grid = browser.waitFor(By.cssSelector("main.page vaadin-grid"));
        List<String> switched = browser.until(d -> browser.gridRows(grid).stream()
                .filter(row -> row.contains("support.tenant.switched") && row.contains(reason))
                .findFirst().orElse(null));
        assertThat(switched).contains(SUPPORT);

        browser.waitForText("vaadin-button", "Enable changes").click();
        browser.waitFor(By.xpath("//vaadin-button[@slot='confirm-button']")).click();
        browser.until(d -> "Changes enabled".equals(badge()) ? true : null);

        browser.userMenu("Sign out");
        browser.waitForLoginPage();
        List<Map<String, Object>> events = jdbc.queryForList("""
                SELECT action, details FROM audit_events WHERE actor_label = ? AND reason = ? ORDER BY seq""",
                SUPPORT, reason);
        assertThat(events).extracting(e -> e.get("action")).containsExactly(
                "support.tenant.switched", "support.changes.enabled", "support.session.ended");
        assertThat(events.getLast().get("details").toString())
                .contains("\"how\":\"signed_out\"", "\"changesEnabled\":true");
    }

    private static String remaining(WebElement banner) {
        return banner.findElement(By.cssSelector(".support-remaining")).getText();
    }

    private String badge() {
        return browser.driver().findElements(By.cssSelector(".support-banner .badge")).stream()
                .map(WebElement::getText).findFirst().orElse("");
    }
}
