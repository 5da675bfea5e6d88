package io.plugboard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.DemoSandboxTest;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.connect.ConnectFailure;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectSessionService;
import io.plugboard.connect.Connected;
import io.plugboard.connect.NewConnectSession;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorSource;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.OAuthApp;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.connector.TokenEndpoint;
import io.plugboard.connector.TokenRequestException;
import io.plugboard.credential.CredentialSecret;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.StoredSecrets;
import io.plugboard.tenant.TenantDirectory;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The demo's sandbox end to end over real HTTP, as a browser and Plugboard would use it: a connect
 * session, the authorization-code flow with PKCE through the sandbox's sign-in and consent pages, the
 * callback storing a credential, the sandbox API accepting its access token, refresh, client
 * credentials and revocation (RFC 7009) from Plugboard.
 */
@DemoSandboxTest
class SandboxOAuthFlowIT {

    private static final String BASE = DemoSandboxTest.PublicUrlOnFreePort.PUBLIC_URL;
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    @Autowired
    ConnectSessionService sessions;
    @Autowired
    ConnectFlow flow;
    @Autowired
    IntegrationService integrations;
    @Autowired
    TenantConnectors connectors;
    @Autowired
    TokenEndpoint tokenEndpoint;
    @Autowired
    CredentialService credentials;
    @Autowired
    TenantDirectory tenants;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    private UUID tenantId;
    /** One browser: a cookie jar, redirects followed by hand so every hop is checked. */
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** State to binding key: what the starting browser's cookie would hold. */
    private final Map<String, String> browserKeys = new java.util.HashMap<>();
    private final HttpClient api = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void demoTenant() {
        tenantId = tenants.demo().orElseThrow().id();
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theDemoTenantHasTheSandboxConnectorEnabledWithItsSecretSealed() {
        var entry = connectors.find(tenantId, SandboxConnector.APP_KEY).orElseThrow();
        assertThat(entry.source()).isEqualTo(ConnectorSource.CUSTOM);
        assertThat(entry.name()).isEqualTo("Sandbox CRM");
        ConnectorDefinition.OAuth oauth = entry.definition().oauth();
        assertThat(oauth.authorizationUrl()).isEqualTo(BASE + "/sandbox/oauth2/authorize");
        assertThat(oauth.tokenUrl()).isEqualTo(BASE + "/sandbox/oauth2/token");
        assertThat(oauth.revocationUrl()).isEqualTo(BASE + "/sandbox/oauth2/revoke");
        assertThat(oauth.usesPkce()).isTrue();
        assertThat(entry.definition().api().baseUrl()).isEqualTo(BASE + "/sandbox/api");
        assertThat(entry.definition().testRequest()).isEqualTo(new ConnectorDefinition.TestRequest("GET", "/me"));
        // Written once at seeding; the start-up check found it up to date and did not write it again.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action LIKE 'connector.custom.%'"
                + " AND target_id = ?", Integer.class, SandboxConnector.APP_KEY)).isEqualTo(1);

        OAuthApp app = integrations.oauthApp(tenantId, SandboxConnector.APP_KEY).orElseThrow();
        assertThat(app.clientId()).isEqualTo(SandboxConnector.CLIENT_ID);
        assertThat(app.clientSecret()).startsWith("sbx_").hasSizeGreaterThan(40);
        // The secret is only in the integration, sealed: the row holds ciphertext, never the secret itself.
        byte[] stored = jdbc.queryForObject("SELECT client_secret FROM integrations WHERE tenant_id = ? AND app_key = ?",
                byte[].class, tenantId, SandboxConnector.APP_KEY);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(app.clientSecret());
    }

    @Test
    void authorizationCodeWithPkceCreatesACredentialWhoseTokenTheSandboxApiAccepts() throws Exception {
        URI authorize = beginOAuth("crm-user-1");
        assertThat(authorize.toString()).startsWith(BASE + "/sandbox/oauth2/authorize?")
                .contains("code_challenge_method=S256", "code_challenge=", "client_id=" + SandboxConnector.CLIENT_ID);

        URI callback = signInAndAllow(authorize, "jane@sandbox.example");
        assertThat(callback.toString()).startsWith(BASE + "/connect/oauth/callback?");
        Map<String, String> query = query(callback);
        assertThat(query).containsKeys("code", "state").doesNotContainKey("error");

        Connected connected = finishOAuth(query.get("state"), query.get("code"), null, null);
        assertThat(connected.connectorName()).isEqualTo("Sandbox CRM");

        SignedIn.as(jdbc, "admin@demo.local");
        var credential = credentials.get(tenantId, connected.credentialId());
        assertThat(credential.appKey()).isEqualTo(SandboxConnector.APP_KEY);
        assertThat(credential.endUserId()).isEqualTo("crm-user-1");
        assertThat(credential.status()).isEqualTo(CredentialStatus.ACTIVE);

        CredentialSecret secret = StoredSecrets.open(context, tenantId, connected.credentialId());
        assertThat(secret.accessToken()).isNotBlank();
        assertThat(secret.refreshToken()).isNotBlank();
        assertThat(secret.accessToken().split("\\.")).as("a JWT").hasSize(3);

        var me = call("GET", "/me", secret.accessToken(), null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"jane@sandbox.example\"", "\"name\":\"Jane\"", "contacts.read",
                "\"clientId\":\"" + SandboxConnector.CLIENT_ID + "\"");
        var contacts = call("GET", "/contacts", secret.accessToken(), null);
        assertThat(contacts.statusCode()).isEqualTo(200);
        assertThat(contacts.body()).contains("\"total\":3", "Ada Lovelace");
        var added = call("POST", "/contacts", secret.accessToken(), "{\"name\":\"Jane's new lead\",\"email\":\"lead@x.example\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(call("GET", "/contacts", secret.accessToken(), null).body()).contains("\"total\":4", "Jane's new lead");

        // Refresh (the sandbox's own token endpoint, with the tenant's sealed client secret): the new
        // access token works and the one it replaced is refused.
        ConnectorDefinition.OAuth oauth = connectors.find(tenantId, SandboxConnector.APP_KEY).orElseThrow()
                .definition().oauth();
        OAuthApp app = integrations.oauthApp(tenantId, SandboxConnector.APP_KEY).orElseThrow();
        var refreshed = tokenEndpoint.refresh(oauth, app.clientId(), app.clientSecret(), secret.refreshToken(),
                List.of(), URI.create(integrations.redirectUri()));
        assertThat(refreshed.accessToken()).isNotEqualTo(secret.accessToken());
        assertThat(call("GET", "/me", refreshed.accessToken(), null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/me", secret.accessToken(), null).statusCode()).isEqualTo(401);

        // Revoking the credential in Plugboard revokes the grant at the sandbox (RFC 7009).
        var revoked = credentials.revoke(tenantId, connected.credentialId());
        assertThat(revoked.status()).isEqualTo(CredentialStatus.REVOKED);
        assertThat(jdbc.queryForObject("SELECT details::text FROM audit_events WHERE action = 'credential.revoked' "
                + "AND target_id = ?", String.class, connected.credentialId())).contains("HTTP 200");
        assertThat(call("GET", "/me", refreshed.accessToken(), null).statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> tokenEndpoint.refresh(oauth, app.clientId(), app.clientSecret(), secret.refreshToken(),
                List.of(), URI.create(integrations.redirectUri())))
                .isInstanceOf(TokenRequestException.class).hasMessageContaining("invalid_grant");
    }

    @Test
    void theApiWantsABearerTokenWithTheRightScopeAndPointsAtItsMetadata() throws Exception {
        var anonymous = call("GET", "/contacts", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString()
                .startsWith("Bearer").contains("resource_metadata=\"" + BASE + "/sandbox/api/metadata\"");
        var metadata = call("GET", "/metadata", null, null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("\"authorization_servers\":[\"" + BASE + "/sandbox\"]");
        assertThat(call("GET", "/me", "not-a-jwt", null).statusCode()).isEqualTo(401);

        // Client credentials: a token for the client itself, here with read access only.
        ConnectorDefinition.OAuth oauth = connectors.find(tenantId, SandboxConnector.APP_KEY).orElseThrow()
                .definition().oauth();
        OAuthApp app = integrations.oauthApp(tenantId, SandboxConnector.APP_KEY).orElseThrow();
        var tokens = tokenEndpoint.clientCredentials(oauth, app.clientId(), app.clientSecret(), List.of("contacts.read"));
        assertThat(tokens.refreshToken()).isNull();
        var me = call("GET", "/me", tokens.accessToken(), null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"" + SandboxConnector.CLIENT_ID + "\"");
        assertThat(call("GET", "/contacts", tokens.accessToken(), null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/contacts", tokens.accessToken(), "{\"name\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/nothing-here", tokens.accessToken(), null).statusCode()).isEqualTo(404);

        assertThatThrownBy(() -> tokenEndpoint.clientCredentials(oauth, app.clientId(), "wrong-secret", List.of()))
                .isInstanceOf(TokenRequestException.class).hasMessageContaining("invalid_client");
    }

    @Test
    void withoutPkceTheSandboxRefusesTheAuthorizationRequest() throws Exception {
        URI authorize = beginOAuth("crm-user-2");
        signInAndAllow(authorize, "pat@sandbox.example");
        String withoutChallenge = UriComponentsBuilder.fromUri(authorize).replaceQueryParam("code_challenge")
                .replaceQueryParam("code_challenge_method").build(true).toUriString();
        var response = get(URI.create(withoutChallenge));
        assertThat(response.statusCode()).isEqualTo(302);
        Map<String, String> query = query(location(response));
        assertThat(query.get("error")).isEqualTo("invalid_request");
        assertThat(query.get("error_description")).contains("code_challenge");
    }

    @Test
    void cancellingAtTheSandboxEndsInADeclinedConnection() throws Exception {
        URI authorize = beginOAuth("crm-user-3");
        URI consent = signIn(authorize, "sam@sandbox.example");
        var page = get(consent);
        Map<String, String> hidden = hiddenFields(page.body());
        var declined = post(URI.create(BASE + "/sandbox/oauth2/authorize"), Map.of(
                "client_id", hidden.get("client_id"), "state", hidden.get("state"), "_csrf", hidden.get("_csrf")));
        Map<String, String> query = query(location(declined));
        assertThat(query.get("error")).isEqualTo("access_denied");
        assertThatThrownBy(() -> finishOAuth(query.get("state"), null, query.get("error"),
                query.get("error_description")))
                .isInstanceOf(ConnectFailure.class).hasMessageContaining("You declined access at Sandbox CRM");
    }

    @Test
    void theSandboxSignInIsSeparateFromThePortals() throws Exception {
        // A portal account is not a sandbox account, and a failed sandbox sign-in is not a portal sign-in.
        String portalSignIns = "SELECT count(*) FROM audit_events WHERE action LIKE 'user.signin.%'";
        int before = jdbc.queryForObject(portalSignIns, Integer.class);
        var login = get(URI.create(BASE + "/sandbox/login"));
        String csrf = hiddenFields(login.body()).get("_csrf");
        var portalPassword = post(URI.create(BASE + "/sandbox/login"), Map.of("username", "admin@demo.local",
                "password", PlugboardTest.DEMO_PASSWORD, "_csrf", csrf));
        assertThat(location(portalPassword).toString()).endsWith("/sandbox/login?error");
        assertThat(jdbc.queryForObject(portalSignIns, Integer.class)).isEqualTo(before);

        // Signed in at the sandbox, the same browser is still nobody in the portal.
        URI consent = signIn(beginOAuth("crm-user-4"), "kim@sandbox.example");
        assertThat(get(consent).statusCode()).isEqualTo(200);
        var portal = get(URI.create(BASE + "/users"));
        assertThat(portal.statusCode()).isEqualTo(302);
        assertThat(location(portal).getPath()).isEqualTo("/login");
        assertThat(get(URI.create(BASE + "/sandbox/")).body()).contains("Signed in as <b>kim@sandbox.example</b>");
    }

    // ------------------------------------------------------------------ helpers

    /** Creates a connect session for the demo tenant as its admin and starts the OAuth flow as the end user. */
    private URI beginOAuth(String endUser) {
        SignedIn.as(jdbc, "admin@demo.local");
        var created = sessions.create(tenantId, new NewConnectSession(new NewConnectSession.EndUser(endUser, null,
                null), List.of(SandboxConnector.APP_KEY), null, null, null, null));
        SecurityContextHolder.clearContext();
        var active = flow.open(created.token()).orElseThrow();
        var start = flow.beginOAuth(active, SandboxConnector.APP_KEY, Map.of(), Map.of());
        browserKeys.put(start.state(), start.browserKey());
        return start.authorizationUrl();
    }

    /** The callback as the browser that started the sign-in makes it: with the key its cookie holds. */
    private Connected finishOAuth(String state, String code, String error, String errorDescription) {
        return flow.finishOAuth(state, browserKeys.get(state), code, error, errorDescription);
    }

    /** Follows the authorization request to the sandbox's sign-in, signs in, and returns the consent page. */
    private URI signIn(URI authorize, String email) throws Exception {
        var first = get(authorize);
        assertThat(first.statusCode()).isEqualTo(302);
        URI login = location(first);
        if (!login.getPath().equals("/sandbox/login")) {
            return login;  // already signed in at the sandbox
        }
        var page = get(login);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sign in to Sandbox CRM");
        var signedIn = post(URI.create(BASE + "/sandbox/login"), Map.of("username", email,
                "password", SandboxUsers.PASSWORD, "_csrf", hiddenFields(page.body()).get("_csrf")));
        URI resumed = location(signedIn);
        assertThat(resumed.getPath()).isEqualTo("/sandbox/oauth2/authorize");
        var again = get(resumed);
        assertThat(again.statusCode()).isEqualTo(302);
        return location(again);
    }

    /** Signs in at the sandbox, allows every requested scope, and returns where the sandbox sent the browser. */
    private URI signInAndAllow(URI authorize, String email) throws Exception {
        URI consent = signIn(authorize, email);
        assertThat(consent.getPath()).isEqualTo("/sandbox/consent");
        var page = get(consent);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Allow Demo Realty to use your Sandbox CRM account?", "See your contacts");
        Map<String, String> hidden = hiddenFields(page.body());
        var form = new LinkedHashMap<String, String>(Map.of("client_id", hidden.get("client_id"), "state",
                hidden.get("state"), "_csrf", hidden.get("_csrf")));
        String body = encode(form) + "&scope=contacts.read&scope=contacts.write";
        var allowed = browser.send(HttpRequest.newBuilder(URI.create(BASE + "/sandbox/oauth2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(302);
        return location(allowed);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, Map<String, String> form) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(encode(form))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String token, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(BASE + "/sandbox/api" + path)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI location(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no redirect: HTTP " + response.statusCode() + " " + response.body()));
        return URI.create(BASE).resolve(location);
    }

    private static Map<String, String> query(URI uri) {
        var params = new LinkedHashMap<String, String>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static Map<String, String> hiddenFields(String html) {
        var fields = new LinkedHashMap<String, String>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\"")
                    .replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">"));
        }
        return fields;
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
