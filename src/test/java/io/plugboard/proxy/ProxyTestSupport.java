package io.plugboard.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.plugboard.SignedIn;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.DestinationImpact;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.security.PortalPrincipal;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the proxy tests share: WireMock as the provider, a fresh tenant per test class with its own API
 * client, custom connectors pointing at WireMock, credentials imported through the service, and calls
 * through {@code /api/v1/proxy/**} over real HTTP with JWTs minted the way a tenant backend mints them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProxyTestSupport {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String PROXY = "/api/v1/proxy";
    public static final String OAUTH_CLIENT_ID = "plugboard-at-provider";
    public static final String OAUTH_CLIENT_SECRET = "secret-of-plugboard-at-provider";

    @Autowired
    protected ApplicationContext context;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected CustomConnectorService customConnectors;
    @Autowired
    protected IntegrationService integrations;
    @Autowired
    protected CredentialService credentials;
    @Autowired
    protected CallLog callLog;
    @LocalServerPort
    protected int port;

    protected WireMockServer provider;
    protected TestTenant tenant;
    protected final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @BeforeAll
    void startProviderAndTenant() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(64));
        provider.start();
        tenant = TestTenants.create(context, getClass().getSimpleName().toLowerCase().replaceAll("[^a-z]", "")
                .substring(0, 10));
    }

    @AfterAll
    void stopProvider() {
        if (provider != null) {
            provider.stop();
        }
    }

    @AfterEach
    void forgetStubs() {
        provider.resetAll();
    }

    // ------------------------------------------------------------------ connectors and credentials

    /**
     * Runs admin work as the tenant's admin, then signs out. Signs in through this application context's own
     * security-context strategy: every context with Vaadin installs a new one as the JVM-wide default, so with
     * a dedicated context in the same JVM the static {@code SecurityContextHolder} may point at another one.
     */
    protected <T> T asAdmin(TestTenant who, Supplier<T> work) {
        var strategy = context.getBean(SecurityContextHolderStrategy.class);
        PortalPrincipal principal = SignedIn.principal(jdbc, who.adminEmail());
        strategy.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role())))));
        try {
            return work.get();
        } finally {
            strategy.clearContext();
        }
    }

    /** Saves a custom connector for the tenant from YAML and enables it; returns its appKey. */
    protected String connector(TestTenant who, String yaml) {
        return asAdmin(who, () -> {
            var saved = customConnectors.save(who.id(), customConnectors.parse(yaml));
            boolean needsApp = saved.definition().authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE;
            integrations.update(who.id(), saved.appKey(), new IntegrationUpdate(true,
                    needsApp ? OAUTH_CLIENT_ID : null, needsApp ? OAUTH_CLIENT_SECRET : null, List.of()));
            return saved.appKey();
        });
    }

    /** Saves a changed definition as the tenant's admin, confirming exactly what the editor showed. */
    protected DestinationImpact editConfirmed(TestTenant who, String yaml) {
        return asAdmin(who, () -> {
            ConnectorDefinition definition = customConnectors.parse(yaml);
            DestinationImpact shown = customConnectors.impact(who.id(), definition);
            customConnectors.save(who.id(), definition, shown);
            return shown;
        });
    }

    protected DestinationImpact editConfirmed(String yaml) {
        return editConfirmed(tenant, yaml);
    }

    protected String connector(String yaml) {
        return connector(tenant, yaml);
    }

    /** An API-key connector (the key sent in {@code X-Api-Key}) whose API is at {@code baseUrl}. */
    protected String apiKeyConnectorAt(String appKey, String baseUrl) {
        return apiKeyConnectorAt(tenant, appKey, baseUrl);
    }

    /** The same, in another tenant. */
    protected String apiKeyConnectorAt(TestTenant who, String appKey, String baseUrl) {
        return connector(who, """
                appKey: %s
                name: %s
                category: PRODUCTIVITY
                authMode: API_KEY
                api:
                  baseUrl: %s
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(appKey, appKey, baseUrl));
    }

    /** An API-key connector whose API is WireMock under {@code /api}, with the given auth block. */
    protected String apiKeyConnector(String appKey, String auth) {
        return apiKeyConnector(tenant, appKey, auth);
    }

    /** The same, in another tenant. */
    protected String apiKeyConnector(TestTenant who, String appKey, String auth) {
        return connector(who, """
                appKey: %s
                name: %s
                category: PRODUCTIVITY
                authMode: API_KEY
                api:
                  baseUrl: %s/api
                  auth:
                %s
                fields:
                  - key: email
                    label: E-mail
                    required: false
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(appKey, appKey, provider.baseUrl(), auth.indent(4).stripTrailing()));
    }

    /**
     * An authorization-code connector: API at WireMock under {@code /api}, token endpoint at the given URL
     * (WireMock's {@code /oauth/token} when null).
     */
    protected String oauthConnector(TestTenant who, String appKey, @Nullable String tokenUrl, String apiBase) {
        return connector(who, """
                appKey: %s
                name: %s
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s/oauth/authorize
                  tokenUrl: %s
                  clientAuthentication: client_secret_post
                  pkce: false
                api:
                  baseUrl: %s
                  auth:
                    type: BEARER
                """.formatted(appKey, appKey, provider.baseUrl(),
                tokenUrl != null ? tokenUrl : provider.baseUrl() + "/oauth/token", apiBase));
    }

    protected String oauthConnector(String appKey) {
        return oauthConnector(tenant, appKey, null, provider.baseUrl() + "/api");
    }

    protected String credential(TestTenant who, String appKey, String endUser, @Nullable Map<String, String> fields,
                                NewCredential.@Nullable Tokens tokens) {
        return asAdmin(who, () -> credentials.create(who.id(), new NewCredential(appKey, endUser, null, null, null,
                fields, null, tokens)).id());
    }

    protected String apiKeyCredential(String appKey, Map<String, String> fields) {
        return credential(tenant, appKey, "user-" + UUID.randomUUID(), fields, null);
    }

    protected String oauthCredential(TestTenant who, String appKey, String accessToken, String refreshToken,
                                     Instant expiresAt) {
        return credential(who, appKey, "user-" + UUID.randomUUID(), null,
                new NewCredential.Tokens(accessToken, refreshToken, "Bearer", expiresAt, List.of(), null));
    }

    protected String oauthCredential(String appKey, String accessToken, String refreshToken, Instant expiresAt) {
        return oauthCredential(tenant, appKey, accessToken, refreshToken, expiresAt);
    }

    // ------------------------------------------------------------------ calling the proxy

    public static String jwt(TestTenant who, String subject) {
        Instant now = Instant.now();
        return Jwts.builder().issuer(who.clientId()).subject(subject).issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(Duration.ofMinutes(10))))
                .signWith(Keys.hmacShaKeyFor(who.clientSecret().getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS512)
                .compact();
    }

    protected String jwt() {
        return jwt(tenant, "tenant");
    }

    protected URI proxyUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + PROXY + pathAndQuery);
    }

    /** A call through the proxy with the tenant's JWT; {@code headers} are name/value pairs. */
    protected HttpResponse<byte[]> call(String method, String pathAndQuery, @Nullable String credentialId,
                                        byte @Nullable [] body, String... headers) {
        return call(port, jwt(), method, pathAndQuery, credentialId, body, headers);
    }

    protected HttpResponse<byte[]> call(int atPort, String token, String method, String pathAndQuery,
                                        @Nullable String credentialId, byte @Nullable [] body, String... headers) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + atPort + PROXY + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (credentialId != null) {
            builder.header("X-Credential-Id", credentialId);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    protected HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode json(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body());
    }

    /** The problem type's last segment, e.g. {@code refresh_failed}, of a problem+json answer. */
    protected static String problemType(HttpResponse<byte[]> response) {
        String type = json(response).path("type").asString();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    protected static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** The requests WireMock received, oldest first. */
    protected List<ServeEvent> received() {
        return received(provider);
    }

    protected static List<ServeEvent> received(WireMockServer server) {
        return server.getAllServeEvents().reversed();
    }

    /** A local port nothing listens on (bound once, then released). */
    protected static int closedPort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The call-log row of one request, once written: the proxy records a call after its answer went out, and
     * the scheduled flush may be writing it at the same moment, so this flushes and looks until it is there.
     */
    protected Map<String, Object> callLogRow(String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            callLog.flush();
            var rows = jdbc.queryForList("SELECT * FROM proxy_calls WHERE request_id = ?", requestId);
            if (!rows.isEmpty()) {
                org.assertj.core.api.Assertions.assertThat(rows).hasSize(1);
                return rows.getFirst();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no call-log row for " + requestId);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    protected static String requestId(HttpResponse<?> response) {
        return response.headers().firstValue("X-Plugboard-Request-Id").orElseThrow();
    }
}
