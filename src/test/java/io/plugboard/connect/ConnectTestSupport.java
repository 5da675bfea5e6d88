package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretVault;
import io.plugboard.tenant.AllowedOrigins;
import io.plugboard.tenant.ConnectTenantFixture;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every connect-flow test needs: a real OAuth 2.0 authorization server (mock-oauth2-server, with its
 * interactive sign-in page), WireMock for API-key checks and misbehaving token endpoints, fresh tenants
 * with custom connectors pointing at them, and the tenant API over real HTTP with JWTs minted the way a
 * tenant backend mints them.
 */
@ConnectFlowTest
abstract class ConnectTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The tenant's OAuth app at the sandbox provider (the provider accepts any client). */
    static final String APP_CLIENT_ID = "plugboard-tenant-app";
    static final String APP_CLIENT_SECRET = "tenant-app-secret-at-the-provider";

    static final String OAUTH_APP = "sandbox-crm";
    static final String CLIENT_CREDENTIALS_APP = "sandbox-venues";
    static final String API_KEY_APP = "sandbox-keys";
    static final String FLAKY_OAUTH_APP = "flaky-crm";

    static final String GOOD_API_KEY = "key_live_0123456789abcdef";

    static MockOAuth2Server oauthServer;
    static WireMockServer wiremock;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;
    @Autowired
    IntegrationService integrations;
    @Autowired
    CustomConnectorService customConnectors;
    @Autowired
    AllowedOrigins allowedOrigins;
    @Autowired
    ConnectFlow flow;
    @Autowired
    ConnectSessionService sessions;
    @Autowired
    SecretVault vault;
    @Value("${plugboard.public-url}")
    String publicUrl;

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @BeforeAll
    static void startProviders() {
        // interactiveLogin: the authorization endpoint shows a sign-in form where any user name is accepted.
        oauthServer = new MockOAuth2Server(new OAuth2Config(true));
        oauthServer.start();
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
    }

    @AfterAll
    static void stopProviders() {
        if (oauthServer != null) {
            oauthServer.shutdown();
        }
        if (wiremock != null) {
            wiremock.stop();
        }
    }

    @AfterEach
    void signOutAndForgetStubs() {
        SignedIn.out();
        wiremock.resetAll();
    }

    // ------------------------------------------------------------------ tenants and connectors

    ConnectTenant tenant(String prefix) {
        return ConnectTenantFixture.create(context, prefix);
    }

    /** Runs admin work (connectors, integrations, origins) as the tenant's admin, then signs out. */
    void asAdmin(ConnectTenant tenant, Runnable work) {
        SignedIn.as(jdbc, tenant.adminEmail());
        try {
            work.run();
        } finally {
            SignedIn.out();
        }
    }

    /** Adds a custom connector from YAML and enables it with the given integration settings. */
    void addConnector(ConnectTenant tenant, String yaml, IntegrationUpdate integration) {
        asAdmin(tenant, () -> {
            var saved = customConnectors.save(tenant.id(), customConnectors.parse(yaml));
            integrations.update(tenant.id(), saved.appKey(), integration);
        });
    }

    /** Authorization code + PKCE at mock-oauth2-server (issuer "sandbox"). */
    void addOAuthConnector(ConnectTenant tenant) {
        addConnector(tenant, oauthYaml(OAUTH_APP, "Sandbox CRM", oauthServer.authorizationEndpointUrl("sandbox").toString(),
                oauthServer.tokenEndpointUrl("sandbox").toString()), oauthApp());
    }

    /** Authorization code whose token endpoint is WireMock's {@code /flaky/token}, to make it fail at will. */
    void addFlakyOAuthConnector(ConnectTenant tenant) {
        addConnector(tenant, oauthYaml(FLAKY_OAUTH_APP, "Flaky CRM", oauthServer.authorizationEndpointUrl("flaky").toString(),
                wiremock.baseUrl() + "/flaky/token"), oauthApp());
    }

    /** Client credentials at mock-oauth2-server (issuer "venues"), with a venue asked for as metadata. */
    void addClientCredentialsConnector(ConnectTenant tenant) {
        addClientCredentialsConnector(tenant, oauthServer.tokenEndpointUrl("venues").toString());
    }

    void addClientCredentialsConnector(ConnectTenant tenant, String tokenUrl) {
        addConnector(tenant, """
                appKey: %s
                name: Sandbox Venues
                category: VENUE
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: %s
                  defaultScopes: [venues.read]
                  clientAuthentication: client_secret_post
                  pkce: false
                api:
                  baseUrl: %s/venues-api
                  auth:
                    type: BEARER
                fields:
                  - key: clientId
                    label: Client ID
                    prefillable: true
                  - key: clientSecret
                    label: Client secret
                    secret: true
                metadata:
                  - key: venue
                    label: Venue
                    type: STRING
                    required: true
                """.formatted(CLIENT_CREDENTIALS_APP, tokenUrl, wiremock.baseUrl()),
                new IntegrationUpdate(true, null, null, List.of()));
    }

    /** An API key in an X-Api-Key header, checked with {@code GET /keys/me} at WireMock before it is saved. */
    void addApiKeyConnector(ConnectTenant tenant) {
        addConnector(tenant, """
                appKey: %s
                name: Sandbox Keys
                category: PRODUCTIVITY
                authMode: API_KEY
                api:
                  baseUrl: %s/keys
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                testRequest:
                  method: GET
                  path: /me
                """.formatted(API_KEY_APP, wiremock.baseUrl()), new IntegrationUpdate(true, null, null, List.of()));
    }

    static IntegrationUpdate oauthApp() {
        return new IntegrationUpdate(true, APP_CLIENT_ID, APP_CLIENT_SECRET, List.of());
    }

    static String oauthYaml(String appKey, String name, String authorizationUrl, String tokenUrl) {
        return """
                appKey: %s
                name: %s
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s
                  tokenUrl: %s
                  defaultScopes: [openid, contacts.read]
                  clientAuthentication: client_secret_basic
                api:
                  baseUrl: %s/crm-api
                  auth:
                    type: BEARER
                """.formatted(appKey, name, authorizationUrl, tokenUrl, wiremock.baseUrl());
    }

    void allowOrigins(ConnectTenant tenant, String... origins) {
        asAdmin(tenant, () -> allowedOrigins.update(tenant.id(), List.of(origins)));
    }

    // ------------------------------------------------------------------ the tenant API over HTTP

    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    /** A session as the API returned it: the token is visible only here. */
    record Created(String sessionId, String token, String connectUrl, Instant expiresAt) {

        static Created of(JsonNode json) {
            return new Created(json.get("sessionId").asString(), json.get("token").asString(),
                    json.get("connectUrl").asString(), Instant.parse(json.get("expiresAt").asString()));
        }
    }

    /** HS512 with the tenant's client secret, 15 minutes, times from the application's (test) clock. */
    String jwt(ConnectTenant tenant, String subject) {
        Instant now = clock.instant();
        return Jwts.builder().issuer(tenant.clientId()).subject(subject).issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(Duration.ofMinutes(15))))
                .signWith(Keys.hmacShaKeyFor(tenant.clientSecret().getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS512)
                .compact();
    }

    Response api(String method, ConnectTenant tenant, String path, @Nullable Object body) {
        var request = HttpRequest.newBuilder(URI.create(publicUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + jwt(tenant, "tenant"))
                .header("Accept", "application/json, application/problem+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    /** {@code POST /api/v1/connect-sessions}; fails the test unless it answers 201. */
    Created createSession(ConnectTenant tenant, Map<String, ?> body) {
        Response response = api("POST", tenant, "/api/v1/connect-sessions", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return Created.of(response.json());
    }

    Created createSession(ConnectTenant tenant, String endUserId, String... allowedConnectors) {
        var body = new LinkedHashMap<String, Object>();
        body.put("endUser", Map.of("id", endUserId, "displayName", "End user " + endUserId));
        if (allowedConnectors.length > 0) {
            body.put("allowedConnectors", List.of(allowedConnectors));
        }
        return createSession(tenant, body);
    }

    JsonNode sessionStatus(ConnectTenant tenant, String sessionId) {
        Response response = api("GET", tenant, "/api/v1/connect-sessions/" + sessionId, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    JsonNode credential(ConnectTenant tenant, String credentialId) {
        Response response = api("GET", tenant, "/api/v1/credentials/" + credentialId, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    Response httpGet(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the provider, without a browser

    /**
     * Does what the end user's browser does at the provider: opens the authorization URL (the sign-in
     * page), submits a user name, and returns the parameters of the redirect back to Plugboard.
     */
    Map<String, String> signInAtProvider(URI authorizationUrl, String username) {
        Response page = send(HttpRequest.newBuilder(authorizationUrl).GET().build());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body()).contains("Mock OAuth2 Server Sign-in");
        Response redirect = send(HttpRequest.newBuilder(authorizationUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                        + "&claims="))
                .build());
        assertThat(redirect.status()).as(redirect.toString()).isEqualTo(302);
        String location = redirect.header("Location");
        assertThat(location).startsWith(publicUrl + "/connect/oauth/callback?");
        return query(URI.create(location));
    }

    static Map<String, String> query(URI uri) {
        var params = new LinkedHashMap<String, String>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    // ------------------------------------------------------------------ what got stored

    byte @Nullable [] rawSecret(String credentialId) {
        return jdbc.queryForObject("SELECT secret FROM credentials WHERE id = ?", byte[].class, credentialId);
    }

    /** The credential's sealed secret document, opened with the vault the way the proxy will. */
    JsonNode openedSecret(ConnectTenant tenant, String credentialId) {
        byte[] sealed = rawSecret(credentialId);
        assertThat(sealed).isNotNull();
        // Bound to the connector destination it was sealed for, kept beside it (decision 0006).
        String destination = jdbc.queryForObject("SELECT destination FROM credentials WHERE id = ?", String.class,
                credentialId);
        return JSON.readTree(vault.open(new SecretBinding("credential.secret", tenant.id(), credentialId, destination),
                sealed));
    }

    int credentialCount(UUID tenantId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM credentials WHERE tenant_id = ?", Integer.class, tenantId);
        return count == null ? 0 : count;
    }

    /** The {@link ConnectFailure} the work throws; fails the test when it throws none. */
    static ConnectFailure failure(Runnable work) {
        try {
            work.run();
        } catch (ConnectFailure failure) {
            return failure;
        }
        throw new AssertionError("expected a ConnectFailure, but the call succeeded");
    }

    /** What a browser keeps between the two halves of a sign-in: the binding key per state, as its cookie. */
    private final Map<String, String> browserKeys = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts a sign-in as the connect page does and keeps the binding key as the browser's cookie would. */
    URI beginOAuth(ConnectFlow.Active active, String appKey) {
        OAuthStart start = flow.beginOAuth(active, appKey, Map.of(), Map.of());
        browserKeys.put(start.state(), start.browserKey());
        return start.authorizationUrl();
    }

    /** The provider's redirect back, arriving in the browser that started the sign-in (with its cookie). */
    Connected finishOAuth(@Nullable String state, @Nullable String code, @Nullable String error,
                          @Nullable String errorDescription) {
        return flow.finishOAuth(state, state == null ? null : browserKeys.get(state), code, error, errorDescription);
    }

    /** The callback with the authorization redirect's other parameters (Zoho's location and accounts-server). */
    Connected finishOAuth(String state, String code, Map<String, String> redirectParams) {
        return flow.finishOAuth(state, browserKeys.get(state), code, null, null, redirectParams);
    }

    ConnectFlow.Active open(Created session) {
        return flow.open(session.token()).orElseThrow(() -> new AssertionError("the session's token did not open"));
    }
}
