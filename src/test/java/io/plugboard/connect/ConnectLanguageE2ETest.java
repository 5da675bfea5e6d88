package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The hosted connect page in each of its languages, in headless Chromium: chosen by the session's {@code locale}, or
 * by the browser's Accept-Language when the session names none. The chooser, the form (with the connector's own
 * translated label and help), the link's validity in the user's date format and the page's title and {@code lang}
 * all speak it. Screenshots of the form go to {@code docs/screenshots/connect-<language>.png}.
 */
class ConnectLanguageE2ETest extends ConnectTestSupport {

    private static final String TRANSLATED_KEYS = "translated-keys";
    private static final Path SCREENSHOTS = Path.of("docs", "screenshots");

    /** What one language shows: the chooser's title, a category, the form's title, button, label and help. */
    private record Expected(String chooser, String category, String form, String button, String label, String help,
                            String reveal, String validUntil, String title) {
    }

    private static final Map<String, Expected> EXPECTED = Map.of(
            "en", new Expected("Connect an account", "Productivity", "Connect Translated Keys", "Connect", "API key",
                    "In Translated Keys, open Settings → API and copy your key.", "Show the value", "This link is valid until ",
                    "Connect your account"),
            "de", new Expected("Konto verbinden", "Produktivität", "Translated Keys verbinden", "Verbinden",
                    "API-Schlüssel", "Öffnen Sie in Translated Keys Einstellungen → API und kopieren Sie Ihren Schlüssel.",
                    "Wert anzeigen", "Dieser Link ist gültig bis ", "Konto verbinden"),
            "fr", new Expected("Connecter un compte", "Productivité", "Connecter Translated Keys", "Connecter", "Clé API",
                    "Dans Translated Keys, ouvrez Paramètres → API et copiez votre clé.", "Afficher la valeur", "Ce lien est valable jusqu’au ",
                    "Connecter votre compte"),
            "es", new Expected("Conectar una cuenta", "Productividad", "Conectar Translated Keys", "Conectar",
                    "Clave de API", "En Translated Keys, abra Configuración → API y copie su clave.",
                    "Mostrar el valor", "Este enlace es válido hasta el ", "Conecte su cuenta"));

    private ConnectTenant tenant;
    private @Nullable ConnectBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(ConnectBrowser.installed(),
                "Skipped: no Chromium at " + ConnectBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void tenantWithATranslatedConnector() {
        tenant = tenant("languages");
        addOAuthConnector(tenant);
        addConnector(tenant, """
                appKey: %s
                name: Translated Keys
                category: PRODUCTIVITY
                authMode: API_KEY
                api:
                  baseUrl: %s/translated
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                    help: In Translated Keys, open Settings → API and copy your key.
                    translations:
                      de:
                        label: API-Schlüssel
                        help: Öffnen Sie in Translated Keys Einstellungen → API und kopieren Sie Ihren Schlüssel.
                      fr:
                        label: Clé API
                        help: Dans Translated Keys, ouvrez Paramètres → API et copiez votre clé.
                      es:
                        label: Clave de API
                        help: En Translated Keys, abra Configuración → API y copie su clave.
                testRequest:
                  method: GET
                  path: /me
                """.formatted(TRANSLATED_KEYS, wiremock.baseUrl()), new IntegrationUpdate(true, null, null, List.of()));
    }

    /** A browser whose user prefers these languages (its Accept-Language). */
    private ConnectBrowser browser(String languages) {
        browser = new ConnectBrowser(1100, 900, false, languages);
        return browser;
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theSessionsLocaleChoosesTheLanguageWhateverTheBrowserPrefers() {
        browser("fr-FR,fr");
        for (String language : List.of("de", "es", "en")) {
            Created session = createSession(tenant, body("user-" + language, language));
            browser.open(session.connectUrl());
            assertSpeaks(language, language);
        }

        // A cancelled session's link says so in the session's language.
        Created cancelled = createSession(tenant, body("user-cancelled", "de"));
        assertThat(api("DELETE", tenant, "/api/v1/connect-sessions/" + cancelled.sessionId(), null).status())
                .isEqualTo(204);
        browser.open(cancelled.connectUrl());
        browser.waitForText("h1", "Dieser Link ist abgelaufen");
        assertThat(browser.waitFor(By.cssSelector(".connect-footer")).getText()).isEqualTo("Gesichert durch Plugboard");
    }

    @Test
    void aRefusedKeyAndTheConnectedAccountAreWordedInTheSessionsLanguage() {
        wiremock.stubFor(get("/translated/me").atPriority(5).willReturn(aResponse().withStatus(401)));
        wiremock.stubFor(get("/translated/me").atPriority(1).withHeader("X-Api-Key", equalTo("key-good"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
        browser("en-US,en");
        Created session = createSession(tenant, body("user-keys", "de"));
        browser.open(session.connectUrl());
        browser.choose("Translated Keys");
        browser.waitForText("h1", "Translated Keys verbinden");

        browser.type("apiKey", "key-typo");
        browser.go("Verbinden");
        assertThat(browser.waitForFormError()).isEqualTo("Translated Keys hat diese Zugangsdaten abgelehnt (HTTP 401). "
                + "Bitte prüfen Sie sie und versuchen Sie es erneut.");

        browser.type("apiKey", "key-good");
        browser.go("Verbinden");
        browser.waitForSuccess();
        browser.waitForText("h1", "Verbunden");
        assertThat(browser.waitFor(By.cssSelector(".connect-success p")).getText())
                .isEqualTo("Ihr Konto bei Translated Keys ist jetzt für Dana Example verbunden. Sie können dieses Fenster "
                        + "schließen.");

        // Opened again, the used link says so in German too.
        browser.open(session.connectUrl());
        browser.waitForText("h1", "Dieser Link wurde bereits verwendet");
    }

    @Test
    void withoutALocaleTheBrowsersBestMatchChooses() {
        browser("pt-BR,fr-CH,en");
        Created session = createSession(tenant, body("user-fr", null));
        browser.open(session.connectUrl());
        assertSpeaks("fr", "fr-CH");

        // The expired page too: a link that cannot be a session's, in the browser's language.
        browser.open(publicUrl + "/connect/" + "x".repeat(40));
        browser.waitForText("h1", "Ce lien a expiré");
        assertThat(browser.waitFor(By.cssSelector(".connect-expired p")).getText())
                .isEqualTo("Les liens de connexion sont valables 30 minutes. Retournez dans l’application qui vous a "
                        + "envoyé ici et demandez-en un nouveau.");
        assertThat(browser.waitFor(By.cssSelector(".connect-footer")).getText()).isEqualTo("Sécurisé par Plugboard");
    }

    private static Map<String, Object> body(String endUserId, @Nullable String locale) {
        var body = new LinkedHashMap<String, Object>();
        body.put("endUser", Map.of("id", endUserId, "displayName", "Dana Example"));
        body.put("allowedConnectors", List.of(OAUTH_APP, TRANSLATED_KEYS));
        if (locale != null) {
            body.put("locale", locale);
        }
        return body;
    }

    private void assertSpeaks(String language, String documentLanguage) {
        Expected expected = EXPECTED.get(language);
        browser.waitForText("h1", expected.chooser());
        browser.waitForText("h2", expected.category());
        assertThat(browser.script("return document.documentElement.lang;")).isEqualTo(documentLanguage);
        assertThat(browser.driver().getTitle()).isEqualTo(expected.title());

        browser.choose("Translated Keys");
        browser.waitForText("h1", expected.form());
        var field = browser.field("apiKey");
        assertThat(browser.script("return arguments[0].label;", field)).isEqualTo(expected.label());
        assertThat(browser.script("return arguments[0].helperText;", field)).isEqualTo(expected.help());
        // The reveal button's accessible name (waits, and fails after a minute, until it is the language's).
        browser.until(d -> expected.reveal().equals(browser.script(
                "const b = arguments[0].querySelector('[slot=reveal]'); return b && b.getAttribute('aria-label');",
                field)));
        browser.waitFor(By.xpath("//vaadin-button[contains(@class,'connect-go')][normalize-space()='"
                + expected.button() + "']"));
        // The expiry in the browser's time zone and the language's own date format.
        String validUntil = browser.until(d -> {
            String text = d.findElement(By.cssSelector(".connect-valid-until")).getText();
            return text.startsWith(expected.validUntil()) && !text.endsWith("UTC.") ? text : null;
        });
        assertThat(validUntil).matches(switch (language) {
            case "de" -> ".* \\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2}\\.";
            // Between the time and AM/PM: a narrow no-break space, as the JDK's CLDR data writes it.
            case "en" -> ".* [A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2}.[AP]M\\.";
            default -> ".* \\d{1,2} \\S+ \\d{4},? \\d{1,2}:\\d{2}\\.";
        });
        browser.screenshot(SCREENSHOTS.resolve("connect-" + language + ".png"));
    }
}
