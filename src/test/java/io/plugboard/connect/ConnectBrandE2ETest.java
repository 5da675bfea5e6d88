package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import tools.jackson.databind.JsonNode;
import org.openqa.selenium.WebElement;

/**
 * Two tenants' connect pages in headless Chromium, each in its own brand: logo, display name, colour on the buttons,
 * text above the chooser, support contact and the Plugboard line (turned off by one of them), on a desktop and on a
 * phone, and on the expired page too. Screenshots go to {@code docs/screenshots/connect-brand-a.png} and {@code -b.png}.
 */
class ConnectBrandE2ETest extends ConnectTestSupport {

    private static final Path SCREENSHOTS = Path.of("docs", "screenshots");
    /** A dark teal (white on it: 5.5:1) and a deep rose (white on it: 8.6:1). */
    private static final String TEAL = "#0f766e";
    private static final String ROSE = "#9d174d";

    private @Nullable ConnectBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(ConnectBrowser.installed(),
                "Skipped: no Chromium at " + ConnectBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void eachTenantsPageWearsItsOwnBrand() {
        ConnectTenant a = tenant("brand-e2e-a");
        ConnectTenant b = tenant("brand-e2e-b");
        for (ConnectTenant t : new ConnectTenant[] {a, b}) {
            addOAuthConnector(t);
            addApiKeyConnector(t);
        }
        brand(a, Map.of("displayName", "Northwind CRM", "primaryColor", TEAL, "supportEmail", "help@northwind.example",
                "supportUrl", "https://help.northwind.example", "chooserText",
                "Northwind reads your contacts once a day to keep your pipeline current. You can disconnect at any time.",
                "chooserTexts", Map.of("de", "Northwind liest Ihre Kontakte einmal am Tag. Sie können die Verbindung "
                        + "jederzeit trennen.")));
        uploadLogo(a, svgLogo(), "image/svg+xml");
        brand(b, Map.of("displayName", "Blue Harbor Realty", "primaryColor", ROSE, "supportUrl",
                "https://blueharbor.example/support", "poweredBy", false));
        uploadLogo(b, pngLogo(), "image/png");

        // Tenant A on a desktop.
        browser = new ConnectBrowser(1000, 1000, false);
        Created sessionA = createSession(a, "brand-user-a", OAUTH_APP, API_KEY_APP);
        browser.open(sessionA.connectUrl());
        browser.waitForText("h1", "Connect an account");
        assertBrand("Northwind CRM");
        assertThat(browser.waitFor(By.cssSelector(".connect-custom-text")).getText()).startsWith("Northwind reads");
        assertThat(browser.waitFor(By.cssSelector(".connect-card p")).getText()).startsWith("Northwind CRM asks");
        WebElement footer = browser.waitFor(By.cssSelector("footer.connect-footer"));
        assertThat(footer.getText()).contains("Need help?", "help@northwind.example", "Help page",
                "Secured by Plugboard");
        assertThat(footer.findElement(By.cssSelector("a[href^='mailto:']")).getAttribute("href"))
                .isEqualTo("mailto:help@northwind.example");
        assertThat(cssColor(footer.findElement(By.cssSelector("a[href^='https:']")), "color")).isEqualTo("rgb(15, 118, 110)");
        browser.screenshot(SCREENSHOTS.resolve("connect-brand-a.png"));
        // A session in German shows the German text; the tenant wrote none in French, so French shows the default.
        Created german = createSession(a, Map.of("endUser", Map.of("id", "brand-user-de"), "locale", "de-DE"));
        browser.open(german.connectUrl());
        browser.waitForText("h1", "Konto verbinden");
        assertThat(browser.waitFor(By.cssSelector(".connect-custom-text")).getText()).startsWith("Northwind liest");
        Created french = createSession(a, Map.of("endUser", Map.of("id", "brand-user-fr"), "locale", "fr"));
        browser.open(french.connectUrl());
        browser.waitForText("h1", "Connecter un compte");
        assertThat(browser.waitFor(By.cssSelector(".connect-custom-text")).getText()).startsWith("Northwind reads");
        browser.open(sessionA.connectUrl());
        browser.waitForText("h1", "Connect an account");
        // The form's primary button takes the colour, and white on it stays readable.
        browser.choose("Sandbox Keys");
        WebElement go = browser.waitFor(By.cssSelector("vaadin-button.connect-go"));
        // Waits (and fails after a minute) until the button is drawn in the brand's colour.
        browser.until(d -> "rgb(15, 118, 110)".equals(cssColor(go, "background-color")) ? true : null);
        assertThat(cssColor(go, "color")).isEqualTo("rgb(255, 255, 255)");
        browser.close();

        // Tenant B on a phone: no Plugboard line, nothing wider than the screen.
        browser = new ConnectBrowser(390, 844, true);
        Created sessionB = createSession(b, "brand-user-b", OAUTH_APP, API_KEY_APP);
        browser.open(sessionB.connectUrl());
        browser.waitForText("h1", "Connect an account");
        assertBrand("Blue Harbor Realty");
        assertThat(browser.driver().findElements(By.cssSelector(".connect-custom-text"))).isEmpty();
        footer = browser.waitFor(By.cssSelector("footer.connect-footer"));
        assertThat(footer.getText()).contains("Need help?", "Help page").doesNotContain("Plugboard");
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth;")).isEqualTo(true);
        browser.screenshot(SCREENSHOTS.resolve("connect-brand-b.png"));

        // The expired page of a cancelled link is still B's.
        Created cancelled = createSession(b, "brand-user-b2", API_KEY_APP);
        assertThat(api("DELETE", b, "/api/v1/connect-sessions/" + cancelled.sessionId(), null).status()).isEqualTo(204);
        browser.open(cancelled.connectUrl());
        browser.waitForText("h1", "This link has expired");
        assertBrand("Blue Harbor Realty");
        assertThat(browser.waitFor(By.cssSelector("footer.connect-footer")).getText()).doesNotContain("Plugboard");
    }

    @Test
    void settingsPreviewTheBrandAndRefuseAColourWhiteTextCannotBeReadOn() throws IOException {
        ConnectTenant tenant = tenant("brand-e2e-settings");
        browser = new ConnectBrowser(1280, 1100, false);
        browser.signInToPortal(publicUrl, tenant.adminEmail(), io.plugboard.tenant.ConnectTenantFixture.ADMIN_PASSWORD);
        browser.open(publicUrl + "/settings");
        browser.waitFor(By.cssSelector(".brand-settings"));

        WebElement color = browser.waitFor(By.id("brand-primary-color"));
        typeInto(color, "#ffcc00");
        browser.until(d -> Boolean.TRUE.equals(browser.script("return arguments[0].invalid;", color)) ? true : null);
        assertThat((String) browser.script("return arguments[0].errorMessage;", color))
                .contains("#ffcc00", "1.51:1", "4.5:1");
        assertThat(browser.waitFor(By.id("brand-contrast")).getText()).startsWith("1.");

        typeInto(color, "#5b21b6");
        typeInto(browser.waitFor(By.id("brand-display-name")), "Fjord Analytics");
        typeInto(browser.waitFor(By.id("brand-chooser-text")),
                "Fjord needs read access to your CRM.");
        browser.until(d -> "Fjord Analytics".equals(d.findElement(By.cssSelector(".brand-preview .connect-brand-name"))
                .getText()) ? true : null);
        assertThat(browser.waitFor(By.cssSelector(".brand-preview .connect-custom-text")).getText())
                .isEqualTo("Fjord needs read access to your CRM.");
        WebElement previewButton = browser.waitFor(By.cssSelector(".brand-preview vaadin-button"));
        browser.until(d -> "rgb(91, 33, 182)".equals(cssColor(previewButton, "background-color")) ? true : null);
        assertThat(browser.script("return arguments[0].invalid;", color)).isEqualTo(false);

        // A translation: typing it previews the page in that language.
        browser.script("arguments[0].opened = true;", browser.waitFor(By.id("brand-chooser-translations")));
        typeInto(browser.waitFor(By.id("brand-chooser-text-de")), "Fjord braucht Lesezugriff auf Ihr CRM.");
        browser.until(d -> "Fjord braucht Lesezugriff auf Ihr CRM.".equals(d.findElement(
                By.cssSelector(".brand-preview .connect-custom-text")).getText()) ? true : null);
        assertThat(browser.waitFor(By.cssSelector(".brand-preview h1")).getText()).isEqualTo("Konto verbinden");

        // The logo, uploaded like a user does; the preview shows it.
        Path logo = Files.createTempFile("brand-logo-", ".png");
        Files.write(logo, pngLogo());
        WebElement upload = browser.waitFor(By.cssSelector(".brand-settings vaadin-upload"));
        WebElement file = (WebElement) browser.script("return arguments[0].querySelector('input[type=file]')"
                + " || arguments[0].shadowRoot.querySelector('input[type=file]');", upload);
        file.sendKeys(logo.toAbsolutePath().toString());
        WebElement previewLogo = browser.waitFor(By.cssSelector(".brand-preview img.connect-logo"));
        assertThat(previewLogo.getAttribute("src")).contains("/brand-logos/");
        Files.delete(logo);

        // Below the fold, and a toast may cover it: scrolled to and clicked as the keyboard would.
        WebElement save = browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Save brand']"));
        browser.script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", save);
        browser.until(d -> {
            JsonNode saved = api("GET", tenant, "/api/v1/brand", null).json();
            return "#5b21b6".equals(saved.path("primaryColor").asString(null)) ? saved : null;
        });
        assertThat(api("GET", tenant, "/api/v1/brand", null).json().path("chooserTexts").path("de").asString())
                .isEqualTo("Fjord braucht Lesezugriff auf Ihr CRM.");
        browser.screenshot(SCREENSHOTS.resolve("settings-brand.png"));
        Integer audited = jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'tenant.brand.updated'"
                + " AND tenant_id = ?", Integer.class, tenant.id());
        assertThat(audited).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'tenant.brand.logo.uploaded'"
                + " AND tenant_id = ?", Integer.class, tenant.id())).isEqualTo(1);
    }

    /** Replaces a Vaadin field's text the way a user does: select all, type. */
    private void typeInto(WebElement field, String text) {
        WebElement input = field.findElement(By.cssSelector("input, textarea"));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text, Keys.TAB);
    }

    /** Logo shown and loaded (decorative: the name is next to it), name written out. */
    private void assertBrand(String name) {
        assertThat(browser.waitFor(By.cssSelector(".connect-brand-name")).getText()).isEqualTo(name);
        WebElement logo = browser.waitFor(By.cssSelector("img.connect-logo"));
        assertThat(logo.getAttribute("src")).contains("/brand-logos/");
        assertThat(logo.getAttribute("alt")).isEmpty();
        browser.until(d -> Boolean.TRUE.equals(browser.script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0;", logo)) ? true : null);
    }

    private String cssColor(WebElement element, String property) {
        return (String) browser.script("return getComputedStyle(arguments[0])[arguments[1]];", element,
                property.equals("background-color") ? "backgroundColor" : property);
    }

    private void brand(ConnectTenant tenant, Map<String, Object> settings) {
        Response response = api("PUT", tenant, "/api/v1/brand", new LinkedHashMap<>(settings));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private void uploadLogo(ConnectTenant tenant, byte[] logo, String type) {
        Response response = send(HttpRequest.newBuilder(URI.create(publicUrl + "/api/v1/brand/logo"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + jwt(tenant, "tenant"))
                .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(logo)).build());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** A wordmark-like SVG with a script a careless upload would keep: the sanitiser drops it. */
    private static byte[] svgLogo() {
        return """
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40" onload="alert(1)">
                  <script>alert('logo')</script>
                  <rect x="2" y="6" width="28" height="28" rx="6" fill="#0f766e"/>
                  <path d="M9 27 V13 L23 27 V13" stroke="#fff" stroke-width="3" fill="none"/>
                  <text x="38" y="27" font-family="sans-serif" font-size="16" font-weight="700" fill="#134e4a">Northwind</text>
                </svg>
                """.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pngLogo() {
        var image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x9d174d));
        g.fillOval(4, 4, 88, 88);
        g.setColor(Color.WHITE);
        g.fillRect(28, 40, 40, 30);
        g.fillPolygon(new int[] {22, 48, 74}, new int[] {44, 22, 44}, 3);
        g.dispose();
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
