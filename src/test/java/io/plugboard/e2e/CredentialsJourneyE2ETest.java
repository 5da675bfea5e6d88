package io.plugboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.NewCredential;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The credentials journey in a real browser (headless Debian Chromium): the demo admin filters by
 * connector, opens a ROLLER credential, sets its venue, sees it in the grid and in the audit log, and
 * revokes it. The credential is the test's own, added to the demo tenant the way its backend would.
 */
@PlugboardTest
class CredentialsJourneyE2ETest {

    private static final String ADMIN = "admin@demo.local";
    private static final Path SCREENSHOTS = Path.of("target", "e2e");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CredentialService credentials;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String label = "Journey venue " + suffix;
    private PortalBrowser browser;
    private CredentialView credential;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(PortalBrowser.installed(),
                "Skipped: no Chromium at " + PortalBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void rollerCredentialAndBrowser() {
        UUID demo = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        SignedIn.as(jdbc, ADMIN);
        try {
            credential = credentials.create(demo, new NewCredential("roller", "journey-" + suffix, null,
                    "Journey " + suffix, label, Map.of("clientId", "journey-" + suffix, "clientSecret",
                    "journey-secret-" + UUID.randomUUID()), Map.of("venue", "Old venue " + suffix), null));
        } finally {
            SignedIn.out();
        }
        browser = PortalBrowser.open("http://localhost:" + port, 1280, 800);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void adminFiltersByConnectorSetsTheVenueFindsTheChangeInTheAuditLogAndRevokes() {
        String venue = "Riverside " + suffix;
        browser.open("/");
        browser.signIn(ADMIN, PlugboardTest.DEMO_PASSWORD);
        browser.waitForText("h2", "Welcome, Demo Admin");

        browser.navigate("Credentials", "credentials");
        WebElement grid = browser.waitFor(By.cssSelector("main.page vaadin-grid"));
        chooseInComboBox("Connector", "ROLLER");
        // Only ROLLER credentials left; the search narrows them to this test's one.
        List<List<String>> roller = browser.until(d -> {
            List<List<String>> rows = filled(browser.gridRows(grid));
            return !rows.isEmpty() && rows.stream().allMatch(r -> r.stream().anyMatch(c -> c.contains("ROLLER")))
                    && rows.stream().anyMatch(r -> hasCell(r, label)) ? rows : null;
        });
        assertThat(roller).noneSatisfy(r -> assertThat(r).anySatisfy(c -> assertThat(c).contains("Follow Up Boss")));
        input("Search").sendKeys(label);
        browser.until(d -> filled(browser.gridRows(grid)).size() == 1 ? true : null);

        // The label is the second line of the connector cell.
        browser.waitFor(By.xpath("//vaadin-grid-cell-content[.//span[normalize-space()='" + label + "']]")).click();
        browser.until(d -> browser.path().equals("/credentials/" + credential.id()) ? true : null);
        browser.waitFor(By.cssSelector(".detail-panel"));
        WebElement venueInput = input("Venue");
        browser.until(d -> ("Old venue " + suffix).equals(venueInput.getDomProperty("value")) ? true : null);
        venueInput.sendKeys(Keys.chord(Keys.CONTROL, "a"), venue, Keys.TAB);
        browser.waitForVaadin();
        button("Save").click();
        browser.waitFor(By.xpath("//vaadin-notification-card[contains(normalize-space(), 'Saved')]"));

        // The grid shows the new venue in the credential's row.
        browser.until(d -> filled(browser.gridRows(grid)).stream()
                .anyMatch(r -> hasCell(r, label) && r.contains("venue: " + venue)) ? true : null);
        assertThat(jdbc.queryForObject("SELECT metadata->>'venue' FROM credentials WHERE id = ?", String.class,
                credential.id())).isEqualTo(venue);
        browser.waitForVaadin();
        browser.screenshot(SCREENSHOTS.resolve("credentials-venue-saved.png"));

        // The audit log has the update, by the admin, with the new venue.
        browser.navigate("Audit log", "audit");
        input("Target").sendKeys(credential.id());
        WebElement audit = browser.waitFor(By.cssSelector("main.page vaadin-grid"));
        List<String> update = browser.until(d -> filled(browser.gridRows(audit)).stream()
                .filter(r -> r.contains("credential.metadata.updated")).findFirst().orElse(null));
        assertThat(update).contains(ADMIN, "credential " + credential.id());
        assertThat(String.join(" ", update)).contains(venue);

        // Back to the credential: revoke, confirm, and it is gone for good.
        browser.open("/credentials/" + credential.id());
        browser.waitFor(By.cssSelector(".detail-panel"));
        button("Revoke credential").click();
        browser.waitFor(By.xpath("//vaadin-button[@slot='confirm-button'][normalize-space()='Revoke']")).click();
        browser.waitFor(By.xpath("//vaadin-notification-card[contains(normalize-space(), 'Revoked "
                + credential.id() + "')]"));
        browser.until(d -> d.findElements(By.xpath("//*[contains(@class,'detail-panel')]"
                + "//vaadin-button[normalize-space()='Revoke credential']")).isEmpty() ? true : null);
        WebElement revokedGrid = browser.waitFor(By.cssSelector("main.page vaadin-grid"));
        input("Search").sendKeys(label);
        browser.until(d -> filled(browser.gridRows(revokedGrid)).stream()
                .anyMatch(r -> hasCell(r, label)
                        && r.stream().anyMatch(cell -> cell.startsWith("Revoked here · at provider:"))) ? true : null);
        assertThat(jdbc.queryForMap("SELECT status, secret IS NULL AS destroyed, revoked_by FROM credentials WHERE id = ?",
                credential.id())).containsEntry("status", "REVOKED").containsEntry("destroyed", true)
                .containsEntry("revoked_by", ADMIN);
        browser.waitForVaadin();
        browser.screenshot(SCREENSHOTS.resolve("credentials-revoked.png"));
    }

    /** The connector cell reads as mark, name and label run together: "RO" "ROLLER" "Journey venue …". */
    private static boolean hasCell(List<String> row, String text) {
        return row.stream().anyMatch(cell -> cell.endsWith(text));
    }

    private void chooseInComboBox(String label, String item) {
        WebElement field = input(label);
        field.click();
        field.sendKeys(item);
        browser.waitFor(By.xpath("//vaadin-combo-box-item[normalize-space()='" + item + "']")).click();
        browser.waitForVaadin();
    }

    /** The native input inside the Vaadin field with this label (inputs live in the light DOM). */
    private WebElement input(String label) {
        return browser.waitFor(By.xpath("//*[self::vaadin-text-field or self::vaadin-combo-box]"
                + "[label[normalize-space()='" + label + "']]/input"));
    }

    private WebElement button(String text) {
        return browser.waitFor(By.xpath("//vaadin-button[normalize-space()='" + text + "']"));
    }

    /** Rendered rows that hold data (the grid keeps empty placeholder rows around). */
    private static List<List<String>> filled(List<List<String>> rows) {
        return rows.stream().filter(r -> r.stream().anyMatch(c -> !c.isEmpty())).toList();
    }
}
