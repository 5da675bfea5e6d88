package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jwt.SignedJWT;
import io.plugboard.tenant.ConnectTenantFixture;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The hosted connect page in headless Chromium, end to end: the tenant backend opens a session over the
 * API, the end user's browser opens the link, picks a connector, signs in at a real OAuth 2.0 server
 * (mock-oauth2-server's sign-in page) or types a form, and lands on the outcome; then the API, the portal
 * and the database are checked.
 */
class ConnectPageE2ETest extends ConnectTestSupport {

    private ConnectTenant tenant;
    private ConnectBrowser browser;

    @BeforeAll
    static void chromiumInstalled() {
        // CI installs chromium and chromium-driver (.ci/run), so there this test always runs.
        assumeTrue(ConnectBrowser.installed(),
                "Skipped: no Chromium at " + ConnectBrowser.CHROMIUM + " (apt-get install chromium chromium-driver)");
    }

    @BeforeEach
    void tenantAndBrowser() {
        tenant = tenant("e2e");
        addOAuthConnector(tenant);
        addClientCredentialsConnector(tenant);
        addApiKeyConnector(tenant);
        browser = new ConnectBrowser(1280, 900, false);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anEndUserConnectsThroughARealOAuthServerAndTheCredentialIsActiveAndSealed() throws Exception {
        Created session = createSession(tenant, Map.of("endUser",
                Map.of("id", "erin", "email", "erin@example.com", "displayName", "Erin Example")));
        assertThat(session.connectUrl()).isEqualTo(publicUrl + "/connect/" + session.token());

        browser.open(session.connectUrl());
        browser.waitForText("h1", "Connect an account");
        assertThat(browser.waitFor(By.cssSelector(".connect-card p")).getText()).contains(tenant.name());
        browser.screenshot("chooser");
        browser.choose("Sandbox CRM");
        browser.waitForText("h1", "Connect Sandbox CRM");
        browser.go("Continue to Sandbox CRM");

        // At the provider: the tenant's OAuth app, the registered redirect URI, a state and an S256 challenge.
        browser.waitForUrl("^" + oauthServer.authorizationEndpointUrl("sandbox") + "\\?.*");
        Map<String, String> authorize = query(URI.create(browser.url()));
        assertThat(authorize).containsEntry("client_id", APP_CLIENT_ID)
                .containsEntry("redirect_uri", publicUrl + "/connect/oauth/callback")
                .containsEntry("code_challenge_method", "S256").containsKey("code_challenge").containsKey("state");
        // The link's token never reaches the provider: the connect page sends no referrer.
        assertThat(browser.script("return document.referrer;")).isEqualTo("");
        browser.signInAtProvider("erin@sandbox");

        String credentialId = browser.waitForSuccess();
        assertThat(browser.url()).startsWith(publicUrl + "/connect/oauth/callback?");
        browser.waitForText("h1", "Connected");
        assertThat(browser.waitFor(By.cssSelector(".connect-success p[role=status]")).getText())
                .isEqualTo("Your Sandbox CRM account is connected for Erin Example. You can close this window.");
        browser.screenshot("connected");

        // The API: ACTIVE, for this end user, and the session is COMPLETED with it.
        var credential = credential(tenant, credentialId);
        assertThat(credential.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(credential.get("appKey").asString()).isEqualTo(OAUTH_APP);
        assertThat(credential.get("endUserId").asString()).isEqualTo("erin");
        var status = sessionStatus(tenant, session.sessionId());
        assertThat(status.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(status.get("credentialIds").toString()).contains(credentialId);

        // The database: the provider's tokens exist only sealed.
        var secret = openedSecret(tenant, credentialId);
        String accessToken = secret.get("accessToken").asString();
        String refreshToken = secret.get("refreshToken").asString();
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getSubject()).isEqualTo("erin@sandbox");
        byte[] raw = rawSecret(credentialId);
        assertThat(indexOf(raw, accessToken.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(indexOf(raw, accessToken.substring(accessToken.length() - 40).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-1);
        assertThat(indexOf(raw, refreshToken.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        String everyColumn = jdbc.queryForObject("SELECT c::text FROM credentials c WHERE id = ?", String.class,
                credentialId);
        assertThat(everyColumn).doesNotContain(accessToken.substring(0, 40)).doesNotContain(refreshToken);

        // The portal: the tenant admin sees it in the credentials grid.
        browser.signInToPortal(publicUrl, tenant.adminEmail(), ConnectTenantFixture.ADMIN_PASSWORD);
        browser.open(publicUrl + "/credentials");
        WebElement grid = browser.waitFor(By.cssSelector("vaadin-grid"));
        List<List<String>> rows = browser.until(d -> {
            var loaded = browser.gridRows(grid).stream().filter(row -> row.contains("erin")).toList();
            return loaded.isEmpty() ? null : loaded;
        });
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row).contains("erin", "Active");
            assertThat(row).anySatisfy(cell -> assertThat(cell).endsWith("Sandbox CRM"));
        });
        browser.screenshot("credentials-grid");
    }

    @Test
    void declinedConsentIsExplainedAndTryAgainLeadsBackToTheSameSession() {
        Created session = createSession(tenant, "dana", OAUTH_APP);
        browser.open(session.connectUrl());
        // One allowed connector: its step opens directly.
        browser.waitForText("h1", "Connect Sandbox CRM");
        browser.go("Continue to Sandbox CRM");
        browser.waitForUrl("^" + oauthServer.authorizationEndpointUrl("sandbox") + "\\?.*");
        String state = query(URI.create(browser.url())).get("state");

        // The provider sends the browser back with access_denied (what "Cancel" on a consent screen does).
        browser.open(publicUrl + "/connect/oauth/callback?error=access_denied&error_description=User+cancelled&state="
                + state);

        assertThat(browser.waitForFailure()).isEqualTo("You declined access at Sandbox CRM. You can try again.");
        browser.waitForText("h1", "That did not work");
        assertThat(credentialCount(tenant.id())).isZero();
        browser.screenshot("declined");

        browser.waitFor(By.cssSelector("a.connect-primary-link")).click();
        browser.waitForText("h1", "Connect Sandbox CRM");
        assertThat(browser.url()).isEqualTo(publicUrl + "/connect");
        browser.go("Continue to Sandbox CRM");
        browser.signInAtProvider("dana@sandbox");
        String credentialId = browser.waitForSuccess();
        assertThat(credential(tenant, credentialId).get("endUserId").asString()).isEqualTo("dana");
    }

    /**
     * The attack: Mallory opens a connect link for her end user and sends the provider's sign-in URL (with
     * her state) to Victor, whose sign-in would otherwise land in Mallory's end user. Two browsers, two
     * profiles: two cookie jars.
     */
    @Test
    void aSignInCompletesOnlyInTheBrowserThatStartedItAndARefusedStateIsBurned() {
        Created session = createSession(tenant, "mallory", OAUTH_APP);
        browser.open(session.connectUrl());
        browser.go("Continue to Sandbox CRM");
        browser.waitForUrl("^" + oauthServer.authorizationEndpointUrl("sandbox") + "\\?.*");
        String mallorysSignIn = browser.url();

        String victorsCallback;
        try (var victor = new ConnectBrowser(1280, 900, false)) {
            victor.open(mallorysSignIn);
            victor.signInAtProvider("victor@sandbox");
            assertThat(victor.waitForFailure()).isEqualTo(
                    "This sign-in was started in another browser. Start again from the link you were given.");
            assertThat(victor.driver().findElements(By.cssSelector("a.connect-primary-link"))).isEmpty();
            victorsCallback = victor.url();
            victor.screenshot("other-browser");
        }
        assertThat(victorsCallback).startsWith(publicUrl + "/connect/oauth/callback?");
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(refusedCallbacks(session.sessionId())).singleElement().asString().contains("no_binding_cookie");

        // The refused state is spent: even the browser that holds its cookie cannot use it now.
        browser.open(victorsCallback);
        assertThat(browser.waitForFailure())
                .isEqualTo("This sign-in was already completed or is not valid. Start again from the app.");
        assertThat(credentialCount(tenant.id())).isZero();

        // Started again in Mallory's browser, it completes there.
        browser.open(session.connectUrl());
        browser.go("Continue to Sandbox CRM");
        browser.signInAtProvider("mallory@sandbox");
        String credentialId = browser.waitForSuccess();
        String callback = browser.url();
        assertThat(credential(tenant, credentialId).get("endUserId").asString()).isEqualTo("mallory");

        // A replay of that callback, in the same browser, is refused: the state was single use.
        browser.open(callback);
        assertThat(browser.waitForFailure())
                .isEqualTo("This sign-in was already completed or is not valid. Start again from the app.");
        assertThat(credentialCount(tenant.id())).isOne();
        assertThat(refusedCallbacks(session.sessionId())).hasSize(1);
    }

    @Test
    void aUsedLinkSaysSoAndConnectsNothingElse() {
        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(200)));
        Created session = createSession(tenant, "ulla", API_KEY_APP);
        browser.open(session.connectUrl());
        browser.type("apiKey", GOOD_API_KEY);
        browser.go("Connect");
        browser.waitForSuccess();

        for (String url : List.of(session.connectUrl(), publicUrl + "/connect")) {
            browser.open(url);
            browser.waitForText("h1", "This link was already used");
            assertThat(browser.waitFor(By.cssSelector(".connect-used p")).getText()).isEqualTo("It has connected an "
                    + "account already. If you need to connect another, go back to the app that sent you here and ask "
                    + "for a new link.");
            assertThat(browser.driver().findElements(By.cssSelector("[name='apiKey']"))).isEmpty();
        }
        browser.screenshot("used-link");
        assertThat(credentialCount(tenant.id())).isOne();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("COMPLETED");
    }

    private List<String> refusedCallbacks(String sessionId) {
        return jdbc.queryForList("SELECT details FROM audit_events WHERE action = 'connect.oauth.callback.refused' "
                + "AND target_id = ? AND tenant_id = ?", String.class, sessionId, tenant.id());
    }

    @Test
    void anInjectedCodeFailsPkceAtTheProviderAndThePageSaysSo() {
        // Mallory signs in with her own account and keeps the code instead of letting the redirect finish.
        Created mallorys = createSession(tenant, "mallory", OAUTH_APP);
        String injectedCode = signInAtProvider(beginOAuth(open(mallorys), OAUTH_APP), "mallory")
                .get("code");
        // Victor starts his sign-in; the redirect back carries his state but Mallory's code.
        Created victors = createSession(tenant, "victor", OAUTH_APP);
        browser.open(victors.connectUrl());
        browser.go("Continue to Sandbox CRM");
        browser.waitForUrl("^" + oauthServer.authorizationEndpointUrl("sandbox") + "\\?.*");
        String victorsState = query(URI.create(browser.url())).get("state");

        browser.open(publicUrl + "/connect/oauth/callback?code=" + injectedCode + "&state=" + victorsState);

        // The provider refuses: the code was issued for another code challenge than Victor's verifier.
        assertThat(browser.waitForFailure()).startsWith("Connecting Sandbox CRM did not complete: The provider refused "
                + "the token request: invalid_grant").contains("code_verifier").endsWith("You can try again.");
        assertThat(credentialCount(tenant.id())).isZero();
        browser.screenshot("pkce-mismatch");
    }

    @Test
    void clientCredentialsAreProvedWithATokenAtSubmit() throws Exception {
        Created session = createSession(tenant, "cleo", CLIENT_CREDENTIALS_APP);
        browser.open(session.connectUrl());
        browser.waitForText("h1", "Connect Sandbox Venues");

        browser.type("clientId", "venue-client-42");
        browser.type("clientSecret", "venue-secret-42");
        browser.type("metadata.venue", "Riverside");
        browser.go("Connect");

        String credentialId = browser.waitForSuccess();
        var secret = openedSecret(tenant, credentialId);
        assertThat(SignedJWT.parse(secret.get("accessToken").asString()).getJWTClaimsSet().getSubject())
                .isEqualTo("venue-client-42");
        assertThat(secret.get("fields").get("clientSecret").asString()).isEqualTo("venue-secret-42");
        var credential = credential(tenant, credentialId);
        assertThat(credential.get("config").get("clientId").asString()).isEqualTo("venue-client-42");
        assertThat(credential.get("metadata").get("venue").asString()).isEqualTo("Riverside");
    }

    @Test
    void withPrefillOnlyTheSecretIsTyped() throws Exception {
        Created session = createSession(tenant, Map.of("endUser", Map.of("id", "pat"),
                "allowedConnectors", List.of(CLIENT_CREDENTIALS_APP),
                "prefill", Map.of(CLIENT_CREDENTIALS_APP, Map.of("clientId", "prefilled-venue-client")),
                "metadata", Map.of(CLIENT_CREDENTIALS_APP, Map.of("venue", "Pier 9"))));
        browser.open(session.connectUrl());
        browser.waitForText("h1", "Connect Sandbox Venues");

        WebElement clientId = browser.field("clientId");
        assertThat(clientId.getAttribute("readonly")).isNotNull();
        assertThat(browser.script("return arguments[0].value;", clientId)).isEqualTo("prefilled-venue-client");
        assertThat(browser.fields("metadata.venue")).as("a prefilled venue is not asked for").isEmpty();
        browser.screenshot("prefilled");
        browser.type("clientSecret", "only-the-secret");
        browser.go("Connect");

        String credentialId = browser.waitForSuccess();
        var credential = credential(tenant, credentialId);
        assertThat(credential.get("config").get("clientId").asString()).isEqualTo("prefilled-venue-client");
        assertThat(credential.get("metadata").get("venue").asString()).isEqualTo("Pier 9");
        assertThat(SignedJWT.parse(openedSecret(tenant, credentialId).get("accessToken").asString())
                .getJWTClaimsSet().getSubject()).isEqualTo("prefilled-venue-client");
    }

    @Test
    void aRejectedApiKeyShowsTheMessageStoresNothingAndTheRightKeyConnectsOnAPhone() {
        browser.close();
        browser = new ConnectBrowser(390, 844, true);
        wiremock.stubFor(get("/keys/me").atPriority(5).willReturn(aResponse().withStatus(401)));
        wiremock.stubFor(get("/keys/me").atPriority(1).withHeader("X-Api-Key", equalTo(GOOD_API_KEY))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
        Created session = createSession(tenant, "kim", API_KEY_APP);
        browser.open(session.connectUrl());
        browser.waitForText("h1", "Connect Sandbox Keys");

        browser.type("apiKey", "key_typo");
        browser.go("Connect");

        assertThat(browser.waitForFormError())
                .isEqualTo("Sandbox Keys rejected these details (HTTP 401). Check them and try again.");
        assertThat(browser.waitFor(By.cssSelector(".connect-error")).getAttribute("role")).isEqualTo("alert");
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("PENDING");
        // Usable on a phone: nothing wider than the screen.
        assertThat(((Number) browser.script("return document.documentElement.scrollWidth;")).intValue())
                .isLessThanOrEqualTo(390);
        browser.screenshot("rejected-key-phone");

        browser.type("apiKey", GOOD_API_KEY);
        browser.go("Connect");

        String credentialId = browser.waitForSuccess();
        assertThat(openedSecret(tenant, credentialId).get("fields").get("apiKey").asString()).isEqualTo(GOOD_API_KEY);
        assertThat(credentialCount(tenant.id())).isOne();
    }

    @Test
    void anUnknownExpiredOrCancelledLinkShowsTheExpiredPageNeverAStackTrace() {
        Created expiring = createSession(tenant, "exp");
        Created cancelled = createSession(tenant, "can");
        assertThat(api("DELETE", tenant, "/api/v1/connect-sessions/" + cancelled.sessionId(), null).status())
                .isEqualTo(204);
        clock.advance(Duration.ofMinutes(31));

        for (String url : List.of(publicUrl + "/connect/" + Tokens.random256(), expiring.connectUrl(),
                cancelled.connectUrl(), publicUrl + "/connect")) {
            browser.open(url);
            browser.waitForText("h1", "This link has expired");
            assertThat(browser.waitFor(By.cssSelector(".connect-expired p")).getText())
                    .isEqualTo("Connect links are valid for 30 minutes. Go back to the app that sent you here and ask "
                            + "for a new one.");
            String text = browser.driver().findElement(By.tagName("body")).getText();
            assertThat(text).doesNotContain("Exception").doesNotContain("at io.plugboard");
        }
        browser.screenshot("expired");
    }

    @Test
    void aCallbackWithoutAConnectionInProgressSaysSo() {
        browser.open(publicUrl + "/connect/oauth/callback?code=abc");

        assertThat(browser.waitForFailure())
                .isEqualTo("This page was opened without a connection in progress. Start again from the app.");
        assertThat(browser.driver().findElements(By.cssSelector("a.connect-primary-link"))).isEmpty();
    }

    @Test
    void withARedirectUrlTheBrowserReturnsToTheTenantsAppWithTheCredentialId() {
        String tenantApp = wiremock.baseUrl();
        allowOrigins(tenant, tenantApp);
        wiremock.stubFor(get(urlPathEqualTo("/app/connected")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<h1>Back in the app</h1>")));
        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(200)));
        Created session = createSession(tenant, Map.of("endUser", Map.of("id", "ria"),
                "allowedConnectors", List.of(API_KEY_APP), "redirectUrl", tenantApp + "/app/connected?from=plugboard"));

        browser.open(session.connectUrl());
        browser.type("apiKey", GOOD_API_KEY);
        browser.go("Connect");

        browser.waitForUrl("^" + tenantApp + "/app/connected\\?.*");
        Map<String, String> params = query(URI.create(browser.url()));
        assertThat(params).containsEntry("from", "plugboard").containsEntry("appKey", API_KEY_APP);
        assertThat(credential(tenant, params.get("credentialId")).get("endUserId").asString()).isEqualTo("ria");
        browser.waitForText("h1", "Back in the app");
    }

    @Test
    void connectJsOpensThePopupAndResolvesWithTheCredentialId() {
        String tenantApp = wiremock.baseUrl();
        allowOrigins(tenant, tenantApp);
        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(200)));
        Created session = createSession(tenant, "pop", API_KEY_APP);
        wiremock.stubFor(get("/app/popup.html").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("""
                        <!doctype html><html><head><script src="%s/connect.js"></script></head><body>
                        <button id="connect">Connect your tools</button><output id="out"></output>
                        <script>
                          document.getElementById('connect').addEventListener('click', () => {
                            Plugboard.connect({ url: '%s' })
                              .then(r => { document.getElementById('out').textContent = 'connected ' + r.credentialId + ' ' + r.appKey; })
                              .catch(e => { document.getElementById('out').textContent = 'failed ' + e.message; });
                          });
                        </script></body></html>
                        """.formatted(publicUrl, session.connectUrl()))));
        browser.open(tenantApp + "/app/popup.html");
        String tenantWindow = browser.driver().getWindowHandle();

        browser.waitFor(By.id("connect")).click();
        String popup = browser.until(d -> d.getWindowHandles().stream().filter(h -> !h.equals(tenantWindow))
                .findFirst().orElse(null));
        browser.driver().switchTo().window(popup);
        browser.waitForText("h1", "Connect Sandbox Keys");
        browser.type("apiKey", GOOD_API_KEY);
        browser.go("Connect");

        // On success the popup posts to its opener (an allowed origin) and closes itself.
        browser.until(d -> d.getWindowHandles().size() == 1 ? true : null);
        browser.driver().switchTo().window(tenantWindow);
        String out = browser.until(d -> {
            String text = d.findElement(By.id("out")).getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(out).startsWith("connected cred_").endsWith(" " + API_KEY_APP);
        String credentialId = out.split(" ")[1];
        assertThat(credential(tenant, credentialId).get("endUserId").asString()).isEqualTo("pop");
    }

    @Test
    void aPageOnAnOriginThatIsNotAllowedNeverHearsTheCredentialId() {
        allowOrigins(tenant, wiremock.baseUrl());
        // The same WireMock, reached as 127.0.0.1: another origin than the allowed http://localhost:port.
        String foreignApp = wiremock.baseUrl().replace("localhost", "127.0.0.1");
        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(200)));
        Created session = createSession(tenant, "phish", API_KEY_APP);
        wiremock.stubFor(get("/app/foreign.html").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("""
                        <!doctype html><html><head><script src="%s/connect.js"></script></head><body>
                        <button id="connect">Connect</button><output id="out"></output><output id="heard"></output>
                        <script>
                          window.addEventListener('message', e => { document.getElementById('heard').textContent += JSON.stringify(e.data); });
                          document.getElementById('connect').addEventListener('click', () => {
                            Plugboard.connect({ url: '%s' })
                              .then(r => { document.getElementById('out').textContent = 'connected ' + r.credentialId; })
                              .catch(e => { document.getElementById('out').textContent = 'failed ' + e.message; });
                          });
                        </script></body></html>
                        """.formatted(publicUrl, session.connectUrl()))));
        browser.open(foreignApp + "/app/foreign.html");
        String foreignWindow = browser.driver().getWindowHandle();

        browser.waitFor(By.id("connect")).click();
        browser.driver().switchTo().window(browser.until(d -> d.getWindowHandles().stream()
                .filter(h -> !h.equals(foreignWindow)).findFirst().orElse(null)));
        browser.waitForText("h1", "Connect Sandbox Keys");
        browser.type("apiKey", GOOD_API_KEY);
        browser.go("Connect");
        browser.until(d -> d.getWindowHandles().size() == 1 ? true : null);
        browser.driver().switchTo().window(foreignWindow);

        String out = browser.until(d -> {
            String text = d.findElement(By.id("out")).getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(out).isEqualTo("failed The connect window was closed before an account was connected.");
        assertThat(browser.driver().findElement(By.id("heard")).getText()).isEmpty();
        // The end user did connect; only the foreign page learned nothing.
        assertThat(credentialCount(tenant.id())).isOne();
    }

    /**
     * Same-site embedding (localhost on another port). Embedding from another site does not work today:
     * the Vaadin session cookie is SameSite=Lax, so a cross-site iframe gets none and Vaadin shows
     * "Cookies disabled" (seen with the tenant page on 127.0.0.1).
     */
    @Test
    void anAllowedOriginCanEmbedThePageAndHearsTheOutcome() {
        String tenantApp = wiremock.baseUrl();
        allowOrigins(tenant, tenantApp);
        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(200)));
        Created session = createSession(tenant, "emb", API_KEY_APP);
        wiremock.stubFor(get("/app/embed.html").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("""
                        <!doctype html><html><body><output id="out"></output>
                        <iframe id="connect" src="%s" width="480" height="720"></iframe>
                        <script>
                          window.addEventListener('message', e => {
                            if (e.origin === '%s' && e.data && e.data.type === 'plugboard:connected') {
                              document.getElementById('out').textContent = e.data.credentialId;
                            }
                          });
                        </script></body></html>
                        """.formatted(session.connectUrl(), publicUrl))));

        browser.open(tenantApp + "/app/embed.html");
        browser.driver().switchTo().frame(browser.waitFor(By.id("connect")));
        browser.waitForText("h1", "Connect Sandbox Keys");
        browser.type("apiKey", GOOD_API_KEY);
        browser.go("Connect");
        String credentialId = browser.waitForSuccess();
        browser.driver().switchTo().defaultContent();

        String heard = browser.until(d -> {
            String text = d.findElement(By.id("out")).getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(heard).isEqualTo(credentialId);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
