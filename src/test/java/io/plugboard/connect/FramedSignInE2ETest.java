package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WindowType;

/**
 * An OAuth connector on a connect page framed by the tenant's site: providers refuse to be framed, and so does
 * Plugboard's callback, so the sign-in runs in a popup opened from the end user's click. The popup starts the
 * sign-in at the top level (the binding cookie is first-party there), comes back to the callback, tells the framed
 * page and closes; the framed page confirms with the server and tells its own host page. Headless Chromium, the
 * host page served by WireMock on an allowed origin (same site as Plugboard over plain HTTP, see
 * {@link ConnectPageE2ETest#anAllowedOriginCanEmbedThePageAndHearsTheOutcome}).
 */
class FramedSignInE2ETest extends ConnectTestSupport {

    private static final String COMPLETED = "plugboard:oauth-completed";

    private ConnectTenant tenant;
    private ConnectBrowser browser;
    private String host;

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(ConnectBrowser.installed(),
                "Skipped: no Chromium at " + ConnectBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void tenantAndBrowser() {
        tenant = tenant("frame");
        addOAuthConnector(tenant);
        browser = new ConnectBrowser(1280, 900, false);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void inAFrameTheSignInRunsInAPopupAndTheFramedPageAndItsHostHearTheOutcome() {
        Created session = createSession(tenant, "fiona", OAUTH_APP);
        openHostPage(session);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        browser.waitForText("h1", "Connect Sandbox CRM");

        browser.go("Continue to Sandbox CRM");
        String popup = switchToPopup();
        // The popup went through Plugboard's own start page to the provider, not the link's token.
        browser.waitForUrl("^" + oauthServer.authorizationEndpointUrl("sandbox") + "\\?.*");
        assertThat(browser.script("return document.referrer;")).asString().doesNotContain(session.token());
        browser.signInAtProvider("fiona@sandbox");

        // The callback completes in the popup, which closes itself.
        browser.until(d -> d.getWindowHandles().contains(popup) ? null : true);
        browser.driver().switchTo().window(host);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        String credentialId = browser.waitForSuccess();
        browser.waitForText("h1", "Connected");
        browser.screenshot("framed-popup-connected");
        browser.driver().switchTo().defaultContent();

        assertThat(heardByHost()).isEqualTo("plugboard:connected " + credentialId + " " + OAUTH_APP);
        assertThat(credential(tenant, credentialId).get("endUserId").asString()).isEqualTo("fiona");
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(refusedCallbacks(session.sessionId())).isEmpty();
    }

    @Test
    void aBlockedPopupIsExplainedAndTryAgainOpensIt() {
        Created session = createSession(tenant, "bo", OAUTH_APP);
        openHostPage(session);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        browser.waitForText("h1", "Connect Sandbox CRM");
        // What a popup blocker does: window.open answers null.
        browser.script("window.__open = window.open; window.open = () => null;");

        browser.go("Continue to Sandbox CRM");

        assertThat(browser.waitForFormError()).isEqualTo("Your browser blocked the sign-in window. Allow pop-ups for "
                + "this page, or press “Try again”.");
        assertThat(browser.driver().getWindowHandles()).hasSize(1);
        assertThat(statesOf(session.sessionId())).as("no sign-in was started").isZero();
        browser.screenshot("framed-popup-blocked");

        browser.script("window.open = window.__open;");
        browser.waitForVaadin();
        browser.waitFor(By.xpath("//vaadin-button[normalize-space()='Try again']")).click();
        String popup = switchToPopup();
        browser.signInAtProvider("bo@sandbox");
        browser.until(d -> d.getWindowHandles().contains(popup) ? null : true);
        browser.driver().switchTo().window(host);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        String credentialId = browser.waitForSuccess();
        assertThat(credential(tenant, credentialId).get("endUserId").asString()).isEqualTo("bo");
    }

    @Test
    void aCompletionMessageFromAnotherOriginOrAnotherWindowIsIgnored() {
        Created session = createSession(tenant, "mo", OAUTH_APP);
        openHostPage(session);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        browser.go("Continue to Sandbox CRM");
        String popup = switchToPopup();
        browser.waitForUrl("^" + oauthServer.authorizationEndpointUrl("sandbox") + "\\?.*");

        // Count what the framed page accepts: each accepted message becomes this event for the server.
        browser.driver().switchTo().window(host);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        browser.script("window.__accepted = 0; document.querySelector('.connect-form')"
                + ".addEventListener('plugboard-signin-completed', () => window.__accepted++);");
        // The popup itself while it shows another origin (the provider's page), the host page's origin, and a
        // window of Plugboard's origin that is not the popup.
        browser.driver().switchTo().window(popup);
        browser.script("window.opener.postMessage({type: arguments[0], credentialId: 'cred_forged'}, '*');", COMPLETED);
        browser.driver().switchTo().window(host);
        browser.script("document.getElementById('connect').contentWindow.postMessage({type: arguments[0], "
                + "credentialId: 'cred_forged'}, '*');", COMPLETED);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        browser.script("window.postMessage({type: arguments[0], credentialId: 'cred_forged'}, location.origin);",
                COMPLETED);
        browser.script("return new Promise(resolve => setTimeout(resolve, 1000));");
        browser.waitForVaadin();
        assertThat(browser.script("return window.__accepted;")).isEqualTo(0L);
        assertThat(browser.driver().findElements(By.cssSelector(".connect-success"))).isEmpty();
        assertThat(browser.waitFor(By.cssSelector(".connect-waiting")).getText())
                .startsWith("Finish signing in to Sandbox CRM in the window that opened.");

        // The real popup is heard.
        browser.driver().switchTo().window(popup);
        browser.signInAtProvider("mo@sandbox");
        browser.until(d -> d.getWindowHandles().contains(popup) ? null : true);
        browser.driver().switchTo().window(host);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        String credentialId = browser.waitForSuccess();
        assertThat(browser.script("return window.__accepted;")).isEqualTo(1L);
        assertThat(credentialId).isNotEqualTo("cred_forged");
        assertThat(credential(tenant, credentialId).get("endUserId").asString()).isEqualTo("mo");
    }

    /**
     * The popup's first URL starts a sign-in for the framed page's connect session. Leaked (a screenshot, a
     * forwarded link), it is useless: it works once, and only in the browser whose page asked for it. And when
     * the popup cannot message the framed page (a provider whose Cross-Origin-Opener-Policy cuts the popup
     * off from its opener: the opener then sees it as closed), the framed page learns the outcome from the server.
     */
    @Test
    void thePopupsStartingUrlWorksOnceAndOnlyInTheBrowserOfTheFramedPage() {
        Created session = createSession(tenant, "lee", OAUTH_APP);
        openHostPage(session);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        browser.waitForText("h1", "Connect Sandbox CRM");
        // A stand-in window that records where it is sent and then looks closed, as a cut-off popup does.
        browser.script("""
                window.open = () => {
                  const fake = {closed: false, focus() {}, close() { fake.closed = true; },
                    location: {replace(url) { window.__signInUrl = url; fake.closed = true; }}};
                  return fake;
                };""");
        browser.go("Continue to Sandbox CRM");
        String startUrl = browser.until(d -> (String) browser.script("return window.__signInUrl || null;"));
        assertThat(startUrl).startsWith(publicUrl + "/connect/").doesNotContain(session.token());

        try (var other = new ConnectBrowser(1280, 900, false)) {
            other.open(startUrl);
            assertThat(other.waitForFailure()).isEqualTo("This sign-in window can no longer be used. Close it and "
                    + "start again from the page that opened it.");
            assertThat(other.url()).startsWith(publicUrl);
            assertThat(other.driver().manage().getCookies()).map(Cookie::getName)
                    .noneMatch(name -> name.startsWith("plugboard_oauth_"));
        }

        browser.driver().switchTo().newWindow(WindowType.TAB);
        browser.open(startUrl);
        browser.waitForUrl("^" + oauthServer.authorizationEndpointUrl("sandbox") + "\\?.*");
        String signIn = browser.url();
        browser.open(startUrl);
        assertThat(browser.waitForFailure()).isEqualTo("This sign-in window can no longer be used. Close it and "
                + "start again from the page that opened it.");

        browser.open(signIn);
        browser.signInAtProvider("lee@sandbox");
        String credentialId = browser.waitForSuccess();
        browser.driver().switchTo().window(host);
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        assertThat(browser.waitForSuccess()).isEqualTo(credentialId);
        browser.driver().switchTo().defaultContent();
        assertThat(heardByHost()).isEqualTo("plugboard:connected " + credentialId + " " + OAUTH_APP);
        assertThat(credentialCount(tenant.id())).isOne();
    }

    /** The tenant's page on an allowed origin: frames the link and writes what Plugboard tells it. */
    private void openHostPage(Created session) {
        String tenantApp = wiremock.baseUrl();
        allowOrigins(tenant, tenantApp);
        wiremock.stubFor(get("/app/framed.html").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("""
                        <!doctype html><html><body><output id="out"></output>
                        <iframe id="connect" src="%s" width="480" height="720"></iframe>
                        <script>
                          window.addEventListener('message', e => {
                            if (e.origin === '%s' && e.data && e.data.type) {
                              document.getElementById('out').textContent +=
                                  e.data.type + ' ' + e.data.credentialId + ' ' + e.data.appKey;
                            }
                          });
                        </script></body></html>
                        """.formatted(session.connectUrl(), publicUrl))));
        browser.open(tenantApp + "/app/framed.html");
        host = browser.driver().getWindowHandle();
    }

    private String switchToPopup() {
        String popup = browser.until(d -> d.getWindowHandles().stream().filter(h -> !h.equals(host))
                .findFirst().orElse(null));
        browser.driver().switchTo().window(popup);
        return popup;
    }

    private String heardByHost() {
        return browser.until(d -> {
            String text = d.findElement(By.id("out")).getText();
            return text.isEmpty() ? null : text;
        });
    }

    private int statesOf(String sessionId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM oauth_states WHERE session_id = ?", Integer.class,
                sessionId);
        return count == null ? 0 : count;
    }

    private List<String> refusedCallbacks(String sessionId) {
        return jdbc.queryForList("SELECT details FROM audit_events WHERE action = 'connect.oauth.callback.refused' "
                + "AND target_id = ? AND tenant_id = ?", String.class, sessionId, tenant.id());
    }
}
