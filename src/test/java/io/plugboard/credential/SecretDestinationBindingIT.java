package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.plugboard.PlugboardTest;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.DestinationImpact;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.proxy.ApiConsole;
import io.plugboard.proxy.ProxyTestSupport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

/**
 * The attack the destination binding closes: a connector is re-pointed at a host its secrets were never entered
 * for, then everything that can send a stored secret is driven — proxy call, API console run, background refresh,
 * revocation. The new host (a second WireMock) must receive no request carrying any old secret, in any header,
 * query or body; the credential ends up NEEDS_RECONNECT, audited and announced.
 */
@PlugboardTest
class SecretDestinationBindingIT extends ProxyTestSupport {

    @Autowired
    TokenRefresher refresher;
    @Autowired
    ApiConsole console;

    private WireMockServer newHost;
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final ApplicationListener<PayloadApplicationEvent<?>> listener = e -> {
        if (e.getPayload() instanceof CredentialEvents.CredentialEvent) {
            events.add(e.getPayload());
        }
    };

    @BeforeAll
    void startNewHost() {
        newHost = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        newHost.start();
    }

    @AfterAll
    void stopNewHost() {
        newHost.stop();
    }

    @BeforeEach
    void answerEverything() {
        for (WireMockServer server : List.of(provider, newHost)) {
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\": \"issued-" + UUID.randomUUID() + "\", \"token_type\": \"Bearer\","
                            + " \"expires_in\": 3600, \"refresh_token\": \"next-refresh\"}")));
        }
        ((ConfigurableApplicationContext) context).addApplicationListener(listener);
    }

    @AfterEach
    void resetNewHost() {
        ((ConfigurableApplicationContext) context).removeApplicationListener(listener);
        events.clear();
        newHost.resetAll();
    }

    // ------------------------------------------------------------------ the attack, per kind of credential

    @Test
    void anApiKeyNeverReachesTheHostTheConnectorWasRepointedTo() {
        String app = "dest-key-" + suffix();
        String apiKey = "old-api-key-" + UUID.randomUUID();
        connector(apiKeyYaml(app, app, provider.baseUrl() + "/api"));
        String id = apiKeyCredential(app, Map.of("apiKey", apiKey));
        // Opened and cached by the proxy before the edit: the cache must not outlive it.
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        editConfirmed(apiKeyYaml(app, app, newHost.baseUrl() + "/api"));

        var proxied = call("GET", "/contacts", id, null);
        var consoled = asAdmin(tenant, () -> console.run(tenant.id(), id,
                new ApiConsole.ConsoleRequest("GET", "/contacts", null, Map.of(), null)));
        var revoked = revoke(id);

        assertThat(proxied.statusCode()).isEqualTo(409);
        assertThat(problemType(proxied)).isEqualTo("needs_reconnect");
        assertThat(consoled.status()).isEqualTo(409);
        assertThat(revoked).isEqualTo(CredentialStatus.REVOKED);
        assertNoneCarried(newHost, apiKey);
        assertThat(newHost.getAllServeEvents()).isEmpty();
    }

    @Test
    void anOAuthRefreshTokenAndTheClientSecretNeverReachTheNewTokenOrRevocationUrl() {
        String app = "dest-oauth-" + suffix();
        String access = "old-access-" + UUID.randomUUID();
        String refresh = "old-refresh-" + UUID.randomUUID();
        connector(oauthYaml(app, app, provider.baseUrl()));
        String id = oauthCredential(app, access, refresh, Instant.now().minus(1, ChronoUnit.HOURS));

        editConfirmed(oauthYaml(app, app, newHost.baseUrl()));

        var proxied = call("GET", "/contacts", id, null);
        refresher.refreshInBackground(tenant.id(), id);
        var consoled = asAdmin(tenant, () -> console.run(tenant.id(), id,
                new ApiConsole.ConsoleRequest("GET", "/contacts", null, Map.of(), null)));
        assertThat(status(id)).isEqualTo("NEEDS_RECONNECT");
        var revoked = revoke(id);

        assertThat(proxied.statusCode()).isEqualTo(409);
        assertThat(consoled.status()).isEqualTo(409);
        assertThat(revoked).isEqualTo(CredentialStatus.REVOKED);
        assertNoneCarried(newHost, access, refresh, OAUTH_CLIENT_SECRET);
        assertNoneCarried(provider, access, refresh, OAUTH_CLIENT_SECRET);
        assertThat(newHost.getAllServeEvents()).isEmpty();
    }

    @Test
    void aClientCredentialsSecretNeverReachesTheNewTokenUrl() {
        String app = "dest-cc-" + suffix();
        String clientSecret = "cc-secret-" + UUID.randomUUID();
        connector(clientCredentialsYaml(app, app, provider.baseUrl()));
        String id = credential(tenant, app, "user-" + UUID.randomUUID(),
                Map.of("clientId", "cc-client", "clientSecret", clientSecret),
                new NewCredential.Tokens("cc-access-" + UUID.randomUUID(), null, "Bearer",
                        Instant.now().minus(1, ChronoUnit.HOURS), List.of(), null));

        editConfirmed(clientCredentialsYaml(app, app, newHost.baseUrl()));

        var proxied = call("GET", "/contacts", id, null);
        refresher.refreshInBackground(tenant.id(), id);

        assertThat(proxied.statusCode()).isEqualTo(409);
        assertNoneCarried(newHost, clientSecret);
        assertThat(newHost.getAllServeEvents()).isEmpty();
        assertThat(status(id)).isEqualTo("NEEDS_RECONNECT");
    }

    /**
     * No editor at all: the stored definition is rewritten as an operator editing a file or a DB admin would. Only
     * the check on every use stands between the secret and the new host.
     */
    @Test
    void aDefinitionRewrittenBehindTheEditorsBackIsCaughtOnUse() {
        String app = "dest-sql-" + suffix();
        String access = "sql-access-" + UUID.randomUUID();
        String refresh = "sql-refresh-" + UUID.randomUUID();
        connector(oauthYaml(app, app, provider.baseUrl()));
        String id = oauthCredential(app, access, refresh, Instant.now().minus(1, ChronoUnit.HOURS));

        rewriteStoredDefinition(app, provider.baseUrl(), newHost.baseUrl());

        refresher.refreshInBackground(tenant.id(), id);
        var proxied = call("GET", "/contacts", id, null);
        var revoked = revoke(id);

        assertThat(proxied.statusCode()).isEqualTo(409);
        assertThat(revoked).isEqualTo(CredentialStatus.REVOKED);
        assertNoneCarried(newHost, access, refresh, OAUTH_CLIENT_SECRET);
        assertThat(newHost.getAllServeEvents()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Saves as the tenant's admin, confirming exactly what the editor showed. */
    private DestinationImpact editConfirmed(String yaml) {
        return asAdmin(tenant, () -> {
            ConnectorDefinition definition = customConnectors.parse(yaml);
            DestinationImpact shown = customConnectors.impact(tenant.id(), definition);
            customConnectors.save(tenant.id(), definition, shown);
            return shown;
        });
    }

    private void rewriteStoredDefinition(String app, String from, String to) {
        int rewritten = jdbc.update("UPDATE custom_connectors SET definition = replace(definition, ?, ?) "
                + "WHERE tenant_id = ? AND app_key = ?", from, to, tenant.id(), app);
        assertThat(rewritten).isEqualTo(1);
    }

    private CredentialStatus revoke(String id) {
        return asAdmin(tenant, () -> credentials.revoke(tenant.id(), id).status());
    }

    private String status(String id) {
        return jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, id);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every form a secret can travel in: as is, form- or URL-encoded, or inside a Basic pair. */
    private static void assertNoneCarried(WireMockServer server, String... secrets) {
        List<ServeEvent> received = received(server);
        for (ServeEvent event : received) {
            var request = event.getRequest();
            var seen = new StringBuilder(request.getUrl()).append('\n').append(request.getBodyAsString());
            for (var header : request.getHeaders().all()) {
                seen.append('\n').append(header.key()).append(": ").append(String.join(",", header.values()));
                if (header.key().equalsIgnoreCase("Authorization")) {
                    String value = header.firstValue();
                    if (value.startsWith("Basic ")) {
                        seen.append('\n').append(new String(Base64.getDecoder().decode(value.substring(6)),
                                StandardCharsets.UTF_8));
                    }
                }
            }
            for (String secret : secrets) {
                assertThat(seen.toString()).as("a request to %s", request.getAbsoluteUrl())
                        .doesNotContain(secret).doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            }
        }
    }

    static String apiKeyYaml(String appKey, String name, String baseUrl) {
        return """
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
                metadata:
                  - key: venue
                    label: Venue
                    type: STRING
                """.formatted(appKey, name, baseUrl);
    }

    static String oauthYaml(String appKey, String name, String host) {
        return """
                appKey: %s
                name: %s
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s/oauth/authorize
                  tokenUrl: %s/oauth/token
                  revocationUrl: %s/oauth/revoke
                  clientAuthentication: client_secret_post
                  pkce: false
                api:
                  baseUrl: %s/api
                  auth:
                    type: BEARER
                """.formatted(appKey, name, host, host, host, host);
    }

    static String clientCredentialsYaml(String appKey, String name, String host) {
        return """
                appKey: %s
                name: %s
                category: OTHER
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: %s/oauth/token
                  clientAuthentication: client_secret_basic
                api:
                  baseUrl: %s/api
                  auth:
                    type: BEARER
                fields:
                  - key: clientId
                    label: Client ID
                  - key: clientSecret
                    label: Client secret
                    secret: true
                """.formatted(appKey, name, host, host);
    }
}
