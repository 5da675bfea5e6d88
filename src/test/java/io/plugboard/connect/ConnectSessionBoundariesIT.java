package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a connect session may reach: only its tenant's allowed origins as a redirect, only its tenant's
 * enabled connectors (and only those it allows), only its tenant's OAuth app — over the real API and
 * through {@link ConnectFlow} as the page calls it.
 */
class ConnectSessionBoundariesIT extends ConnectTestSupport {

    private static final String B_ONLY = "b-private-keys";

    @Autowired
    PlatformTransactionManager transactionManager;

    private ConnectTenant a;
    private ConnectTenant b;

    @BeforeEach
    void twoTenants() {
        a = tenant("tenant-a");
        addOAuthConnector(a);
        addApiKeyConnector(a);
        addClientCredentialsConnector(a);
        allowOrigins(a, "https://app.example.com", "http://localhost:3000");

        b = tenant("tenant-b");
        // The same appKey in both tenants, each with its own OAuth app at the provider.
        addConnector(b, oauthYaml(OAUTH_APP, "B's Sandbox CRM", oauthServer.authorizationEndpointUrl("sandbox").toString(),
                oauthServer.tokenEndpointUrl("sandbox").toString()), new IntegrationUpdate(true, "tenant-b-app", "b-secret",
                List.of()));
        addConnector(b, """
                appKey: %s
                name: B Private Keys
                category: OTHER
                authMode: API_KEY
                api:
                  baseUrl: %s/b-keys
                  auth:
                    type: BEARER
                    token: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(B_ONLY, wiremock.baseUrl()), new IntegrationUpdate(true, null, null, List.of()));
    }

    @Test
    void aRedirectUrlOutsideTheAllowedOriginsIsA400ProblemAndNoSessionIsOpened() {
        List<String> refused = List.of("https://evil.example/connected", "https://app.example.com.evil.net/cb",
                "http://app.example.com/cb", "https://app.example.com:8443/cb", "https://user@app.example.com/cb",
                "https://evil.net\\@app.example.com/", "javascript:alert(document.domain)", "//evil.example/cb",
                "/relative/path", "data:text/html,hi", "http://localhost:3001/cb");
        for (String redirectUrl : refused) {
            Response response = api("POST", a, "/api/v1/connect-sessions",
                    Map.of("endUser", Map.of("id", "eve"), "redirectUrl", redirectUrl));
            assertThat(response.status()).as(redirectUrl + " -> " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("detail").asString()).as(redirectUrl)
                    .isEqualTo("redirectUrl: its origin is not one of the tenant's allowed origins (Settings → Allowed origins)");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_sessions WHERE tenant_id = ?", Integer.class, a.id()))
                .isZero();
        // Another tenant's allowed origin is not this tenant's.
        allowOrigins(b, "https://b.example.org");
        assertThat(api("POST", a, "/api/v1/connect-sessions", Map.of("endUser", Map.of("id", "eve"),
                "redirectUrl", "https://b.example.org/done")).status()).isEqualTo(400);
    }

    @Test
    void aRedirectUrlOnAnAllowedOriginIsKeptAndGetsTheCredentialId() {
        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(200)));
        Created session = createSession(a, Map.of("endUser", Map.of("id", "ann"),
                "redirectUrl", "https://app.example.com/integrations/done?tab=crm"));

        Connected connected = flow.submit(open(session), API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of());

        assertThat(connected.redirectUrl()).isEqualTo("https://app.example.com/integrations/done?tab=crm");
        assertThat(connected.allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
    }

    @Test
    void aSessionOfTenantACannotReachTenantBsConnectors() {
        // Not through the API …
        for (var body : List.of(
                Map.of("endUser", Map.of("id", "al"), "allowedConnectors", List.of(B_ONLY)),
                Map.of("endUser", Map.of("id", "al"), "prefill", Map.of(B_ONLY, Map.of("apiKey", "x"))),
                Map.of("endUser", Map.of("id", "al"), "metadata", Map.of(B_ONLY, Map.of("venue", "x"))))) {
            Response response = api("POST", a, "/api/v1/connect-sessions", body);
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.json().get("detail").asString()).contains(B_ONLY).contains("unknown connector");
        }
        // … nor through the page.
        Created session = createSession(a, "al");
        var active = open(session);
        assertThat(active.session().tenantId()).isEqualTo(a.id());
        assertThat(flow.connectors(active)).extracting(e -> e.appKey())
                .contains(OAUTH_APP, API_KEY_APP, CLIENT_CREDENTIALS_APP).doesNotContain(B_ONLY);
        assertThat(flow.connectors(active)).filteredOn(e -> e.appKey().equals(OAUTH_APP))
                .extracting(e -> e.name()).containsExactly("Sandbox CRM");
        assertThat(failure(() -> flow.submit(active, B_ONLY, Map.of("apiKey", "x"), Map.of())).getMessage())
                .isEqualTo("That connector is not available in this session.");
        assertThat(failure(() -> beginOAuth(active, B_ONLY)).getMessage())
                .isEqualTo("That connector is not available in this session.");
        // The shared appKey resolves to A's definition and A's OAuth app, never B's.
        var authorize = query(beginOAuth(active, OAUTH_APP));
        assertThat(authorize).containsEntry("client_id", APP_CLIENT_ID);
        assertThat(credentialCount(b.id())).isZero();
    }

    @Test
    void tenantBCannotSeeRefreshOrCancelTenantAsSession() {
        Created session = createSession(a, "al");
        for (String[] call : new String[][] {{"GET", ""}, {"POST", "/refresh"}, {"DELETE", ""}}) {
            Response response = api(call[0], b, "/api/v1/connect-sessions/" + session.sessionId() + call[1], null);
            assertThat(response.status()).as(call[0] + call[1] + " " + response).isEqualTo(404);
        }
        assertThat(sessionStatus(a, session.sessionId()).get("status").asString()).isEqualTo("PENDING");
        assertThat(flow.open(session.token())).isPresent();
    }

    @Test
    void aSessionOffersOnlyTheConnectorsItAllowsAndOnlyWhileTheyAreEnabled() {
        wiremock.stubFor(get("/keys/me").willReturn(aResponse().withStatus(200)));
        Created limited = createSession(a, "lim", API_KEY_APP);
        var active = open(limited);
        assertThat(flow.connectors(active)).extracting(e -> e.appKey()).containsExactly(API_KEY_APP);
        assertThat(failure(() -> beginOAuth(active, OAUTH_APP)).getMessage())
                .isEqualTo("That connector is not available in this session.");

        // The admin turns the connector off while the link is out.
        asAdmin(a, () -> integrations.update(a.id(), API_KEY_APP, new IntegrationUpdate(false, null, null, List.of())));

        assertThat(flow.connectors(active)).isEmpty();
        assertThat(failure(() -> flow.submit(active, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of())).getMessage())
                .isEqualTo("That connector is not available in this session.");
        assertThat(credentialCount(a.id())).isZero();
    }

    @Test
    void aConnectorSwitchedOffCannotBeAllowedInTheVeryNextSessionAndCanOnceSwitchedOnAgain() {
        Map<String, Object> request = Map.of("endUser", Map.of("id", "eve"), "allowedConnectors", List.of(API_KEY_APP));
        // Enabled connectors are cached per tenant; this request fills the cache.
        assertThat(api("POST", a, "/api/v1/connect-sessions", request).status()).isEqualTo(201);

        asAdmin(a, () -> integrations.update(a.id(), API_KEY_APP, new IntegrationUpdate(false, null, null, List.of())));
        Response refused = api("POST", a, "/api/v1/connect-sessions", request);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("detail").asString()).isEqualTo("allowedConnectors: Sandbox Keys is not enabled for this tenant");

        asAdmin(a, () -> integrations.update(a.id(), API_KEY_APP, new IntegrationUpdate(true, null, null, List.of())));
        assertThat(api("POST", a, "/api/v1/connect-sessions", request).status()).isEqualTo(201);
    }

    @Test
    void aTransactionSeesItsOwnIntegrationChangeAndOthersNeverSeeOneRolledBack() {
        var transactions = new TransactionTemplate(transactionManager);
        assertThat(integrations.enabled(a.id(), API_KEY_APP)).isTrue();
        asAdmin(a, () -> transactions.executeWithoutResult(status -> {
            integrations.update(a.id(), API_KEY_APP, new IntegrationUpdate(false, null, null, List.of()));
            assertThat(integrations.enabled(a.id(), API_KEY_APP)).isFalse();
            status.setRollbackOnly();
        }));
        assertThat(integrations.enabled(a.id(), API_KEY_APP)).isTrue();
        assertThat(integrations.enabled(b.id(), API_KEY_APP)).isFalse();
    }

    @Test
    void aSessionOfASuspendedTenantNoLongerOpens() {
        Created session = createSession(a, "sus");
        jdbc.update("UPDATE tenants SET status = 'SUSPENDED', suspended_at = now() WHERE id = ?", a.id());

        assertThat(flow.open(session.token())).isEmpty();
    }
}
