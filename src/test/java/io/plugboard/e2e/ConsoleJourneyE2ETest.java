package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ui.ConsoleFixture;
import io.plugboard.tenant.TestTenants;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The API console in a real browser (headless Debian Chromium): a tenant admin picks three credentials
 * of a custom connector whose API is a WireMock server, runs the connector's test request for all of
 * them and reads each one's status in the results grid as the run fills it in.
 */
@PlugboardTest
class ConsoleJourneyE2ETest {

    private static final Path SCREENSHOTS = Path.of("target", "e2e");
    private static WireMockServer provider;
    /**
     * The first row checkbox of a grid that is not ticked yet and lies inside the grid's visible rows
     * (below the sticky header, above the bottom edge), scrolling the grid down a little when there is none.
     */
    private static final String UNTICKED_BOX_IN_VIEW = """
            const grid = arguments[0];
            const header = grid.shadowRoot.querySelector('thead').getBoundingClientRect();
            const table = grid.shadowRoot.querySelector('#table');
            const visible = table.getBoundingClientRect();
            const box = [...grid.querySelectorAll('vaadin-grid-cell-content > vaadin-checkbox')]
                .filter(b => !b.classList.contains('vaadin-grid-select-all-checkbox') && !b.hasAttribute('checked'))
                .find(b => { const r = b.getBoundingClientRect();
                             return r.height > 0 && r.top >= header.bottom && r.bottom <= visible.bottom; });
            if (!box) { table.scrollTop += 40; }
            return box || null;
            """;

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    private PortalBrowser browser;
    private ConsoleFixture fixture;

    @BeforeAll
    static void chromiumAndProvider() {
        assumeTrue(PortalBrowser.installed(),
                "Skipped: no Chromium at " + PortalBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        if (provider != null) {
            provider.stop();
        }
    }

    @BeforeEach
    void tenantAndBrowser() {
        fixture = ConsoleFixture.create(context, provider, "e2e-console", 500);
        browser = PortalBrowser.open("http://localhost:" + port, 1280, 900);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void adminRunsTheTestRequestAcrossThreeCredentialsAndReadsTheirStatuses() {
        browser.open("/");
        browser.signIn(fixture.tenant().adminEmail(), TestTenants.ADMIN_PASSWORD);
        browser.waitFor(By.cssSelector(".tenant-chip"));
        browser.navigate("API console", "console");

        WebElement connector = browser.waitFor(
                By.xpath("//vaadin-combo-box[label[normalize-space()='Connector']]/input"));
        connector.click();
        connector.sendKeys(fixture.connectorName());
        browser.waitFor(By.xpath("//vaadin-combo-box-item[normalize-space()=" + literal(fixture.connectorName())
                + "]")).click();
        browser.waitForVaadin();

        WebElement picker = browser.waitFor(By.cssSelector("main.page vaadin-grid:not(.console-results)"));
        browser.until(d -> filled(browser.gridRows(picker)).size() == 3 ? true : null);
        // The picker keeps its height on the long console page: the three credentials are all in view.
        assertThat(picker.getRect().getHeight()).as("picker height (px)").isGreaterThanOrEqualTo(250);
        browser.screenshot(SCREENSHOTS.resolve("console-picker.png"));
        for (int ticked = 0; ticked < 3; ticked++) {
            // A user scrolls the short picker and ticks the boxes they see.
            WebElement box = browser.until(d -> (WebElement) d.executeScript(UNTICKED_BOX_IN_VIEW, picker));
            box.click();
            browser.waitForVaadin();
        }

        WebElement run = browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Run for 3']"));
        WebElement path = browser.waitFor(By.xpath("//vaadin-text-field[label[normalize-space()='Path']]/input"));
        assertThat(path.getDomProperty("value")).as("the connector's test request").isEqualTo("/ping");
        run.click();

        // The results fill in through polling; read each credential's status from the grid.
        WebElement results = browser.waitFor(By.cssSelector("vaadin-grid.console-results"));
        Map<String, String> statuses = browser.until(d -> {
            var byCredential = new LinkedHashMap<String, String>();
            for (List<String> row : filled(browser.gridRows(results))) {
                byCredential.put(row.get(0), row.get(1));
            }
            return byCredential.size() == 3 ? byCredential : null;
        });
        String name = fixture.connectorName();
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(
                name + " · Probe alpha", "200",
                name + " · Probe bravo", "200",
                name + " · Probe charlie", "500"));
        browser.waitFor(By.xpath("//span[normalize-space()='3 of 3']"));
        browser.until(d -> run.isEnabled() ? true : null);
        browser.waitForVaadin();
        browser.screenshot(SCREENSHOTS.resolve("console-results.png"));

        // A row opens on click to the response's headers and pretty-printed body.
        WebElement charlie = browser.waitFor(By.xpath("//vaadin-grid[contains(@class,'console-results')]"
                + "/vaadin-grid-cell-content[normalize-space()=" + literal(name + " · Probe charlie") + "]"));
        browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", charlie);
        charlie.click();
        WebElement body = browser.waitFor(By.cssSelector(".console-details pre.console-body"));
        assertThat(body.getText()).contains("\"owner\" : \"charlie\"", "\"status\" : 500");

        // The history below lists the calls just made, without a reload.
        WebElement history = browser.waitFor(By.xpath("(//main//vaadin-grid)[last()]"));
        List<List<String>> calls = browser.until(d -> {
            List<List<String>> rows = filled(browser.gridRows(history));
            return rows.size() >= 3 ? rows : null;
        });
        for (int i = 0; i < 3; i++) {
            String id = fixture.id(i);
            assertThat(calls).anySatisfy(row -> assertThat(String.join(" ", row)).contains(id, "GET /ping"));
        }
    }

    /** Rendered rows that hold data (the grid keeps empty placeholder rows around). */
    private static List<List<String>> filled(List<List<String>> rows) {
        return rows.stream().filter(r -> r.stream().anyMatch(c -> !c.isEmpty())).toList();
    }

    private static String literal(String text) {
        return "'" + text + "'";
    }
}
