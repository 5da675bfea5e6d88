package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.plugboard.PlugboardTest;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.Destination;
import io.plugboard.connector.DestinationChangeUnconfirmed;
import io.plugboard.connector.DestinationImpact;
import io.plugboard.crypto.SecretVault;
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
        if (e.getPayload() instanceof CredentialEvents.NeedsReconnect) {
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

        var shown = editConfirmed(apiKeyYaml(app, app, newHost.baseUrl() + "/api"));

        assertThat(shown).isEqualTo(new DestinationImpact(1, false));
        assertThat(status(id)).isEqualTo("NEEDS_RECONNECT");
        assertThat(jdbc.queryForObject("SELECT reconnect_reason FROM credentials WHERE id = ?", String.class, id))
                .isEqualTo("connector_changed");
        assertThat(auditRows("credential.needs_reconnect", id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT details::jsonb ->> 'credentialsNeedingReconnect' FROM audit_events "
                + "WHERE action = 'connector.custom.updated' AND target_id = ?", String.class, app)).isEqualTo("1");
        assertThat(events).singleElement().isInstanceOfSatisfying(CredentialEvents.NeedsReconnect.class, e -> {
            assertThat(e.credentialId()).isEqualTo(id);
            assertThat(e.reason()).isEqualTo("connector_changed");
        });

        var proxied = call("GET", "/contacts", id, null);
        var consoled = asAdmin(tenant, () -> console.run(tenant.id(), id,
                new ApiConsole.ConsoleRequest("GET", "/contacts", null, Map.of(), null)));
        var revoked = revoke(id);

        assertThat(proxied.statusCode()).isEqualTo(409);
        assertThat(proxied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
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

        assertThat(integrations.oauthApp(tenant.id(), app)).isPresent();

        assertThat(editConfirmed(oauthYaml(app, app, newHost.baseUrl()))).isEqualTo(new DestinationImpact(1, true));

        // The OAuth app's secret was entered for the old token URL: gone, to be entered again.
        assertThat(integrations.oauthApp(tenant.id(), app)).isEmpty();
        assertThat(asAdmin(tenant, () -> integrations.settings(tenant.id(), app).clientSecretStored())).isFalse();
        var proxied = call("GET", "/contacts", id, null);
        refresher.refreshInBackground(tenant.id(), id);
        var consoled = asAdmin(tenant, () -> console.run(tenant.id(), id,
                new ApiConsole.ConsoleRequest("GET", "/contacts", null, Map.of(), null)));
        assertThat(status(id)).isEqualTo("NEEDS_RECONNECT");
        var revoked = revoke(id);

        assertThat(proxied.statusCode()).isEqualTo(409);
        assertThat(consoled.status()).isEqualTo(409);
        assertThat(revoked).isEqualTo(CredentialStatus.REVOKED);
        assertThat(asAdmin(tenant, () -> credentials.get(tenant.id(), id)).providerRevocation())
                .as("the token was not sent, and the API says why")
                .satisfies(state -> {
                    assertThat(state.status()).isEqualTo(ProviderRevocationStatus.FAILED);
                    assertThat(state.attempts()).isZero();
                    assertThat(state.lastError()).isEqualTo("connector_changed");
                });
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

    /** Rewriting the fingerprint beside the ciphertext does not help: it is also the ciphertext's associated data. */
    @Test
    void aDestinationColumnRewrittenInSqlStillDoesNotOpenTheSecret() {
        String app = "dest-col-" + suffix();
        String apiKey = "col-api-key-" + UUID.randomUUID();
        connector(apiKeyYaml(app, app, provider.baseUrl() + "/api"));
        String id = apiKeyCredential(app, Map.of("apiKey", apiKey));

        rewriteStoredDefinition(app, provider.baseUrl(), newHost.baseUrl());
        String newFingerprint = Destination.of(
                customConnectors.parse(apiKeyYaml(app, app, newHost.baseUrl() + "/api"))).fingerprint();
        jdbc.update("UPDATE credentials SET destination = ? WHERE id = ?", newFingerprint, id);

        var proxied = call("GET", "/contacts", id, null);

        assertThat(proxied.statusCode()).isEqualTo(409);
        assertThat(problemType(proxied)).isEqualTo("needs_reconnect");
        assertNoneCarried(newHost, apiKey);
        assertThat(newHost.getAllServeEvents()).isEmpty();
    }

    @Test
    void editsThatKeepTheDestinationLeaveCredentialsActiveAndUsable() {
        String app = "dest-name-" + suffix();
        connector(apiKeyYaml(app, app, provider.baseUrl() + "/api"));
        String id = apiKeyCredential(app, Map.of("apiKey", "kept-" + UUID.randomUUID()));

        String renamed = apiKeyYaml(app, "Renamed " + app, provider.baseUrl() + "/api")
                .replace("label: Venue", "label: Venue or site").replace("label: API key", "label: Secret API key");
        assertThat(editConfirmed(renamed)).isEqualTo(DestinationImpact.NONE);

        assertThat(status(id)).isEqualTo("ACTIVE");
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);
        assertThat(events).isEmpty();
    }

    @Test
    void aDestinationChangeIsRefusedWithoutAConfirmationOfWhatItStrandsNow() {
        String app = "dest-confirm-" + suffix();
        connector(apiKeyYaml(app, app, provider.baseUrl() + "/api"));
        String first = apiKeyCredential(app, Map.of("apiKey", "k1-" + UUID.randomUUID()));
        ConnectorDefinition moved = customConnectors.parse(apiKeyYaml(app, app, newHost.baseUrl() + "/api"));
        DestinationImpact shownEarlier = asAdmin(tenant, () -> customConnectors.impact(tenant.id(), moved));
        apiKeyCredential(app, Map.of("apiKey", "k2-" + UUID.randomUUID()));

        assertThatThrownBy(() -> asAdmin(tenant, () -> customConnectors.save(tenant.id(), moved)))
                .isInstanceOf(DestinationChangeUnconfirmed.class)
                .hasMessageContaining("This changes where secrets are sent: 2 credentials will need reconnecting");
        // Shown for one credential; a second was connected since: the old confirmation does not cover it.
        assertThatThrownBy(() -> asAdmin(tenant, () -> customConnectors.save(tenant.id(), moved, shownEarlier)))
                .isInstanceOf(DestinationChangeUnconfirmed.class);

        assertThat(shownEarlier).isEqualTo(new DestinationImpact(1, false));
        assertThat(status(first)).isEqualTo("ACTIVE");
        assertThat(call("GET", "/contacts", first, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aReconnectSealsANewSecretForTheNewDestinationAndRestoresUse() {
        String app = "dest-again-" + suffix();
        String oldKey = "before-" + UUID.randomUUID();
        String newKey = "after-" + UUID.randomUUID();
        connector(apiKeyYaml(app, app, provider.baseUrl() + "/api"));
        String id = apiKeyCredential(app, Map.of("apiKey", oldKey));
        editConfirmed(apiKeyYaml(app, app, newHost.baseUrl() + "/api"));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(409);

        var reconnected = asAdmin(tenant, () -> credentials.reconnect(tenant.id(), id, new NewCredential(app,
                credentials.get(tenant.id(), id).endUserId(), null, null, null, Map.of("apiKey", newKey), null, null)));
        var proxied = call("GET", "/contacts", id, null);

        assertThat(reconnected.status()).isEqualTo(CredentialStatus.ACTIVE);
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(received(newHost)).singleElement().satisfies(e ->
                assertThat(e.getRequest().getHeader("X-Api-Key")).isEqualTo(newKey));
        assertNoneCarried(newHost, oldKey);
    }

    /**
     * The upgrade: a secret sealed before destinations were bound (no fingerprint in its associated data, none
     * beside it) is bound at start-up to its connector's destination and keeps working; one whose fingerprint was
     * merely cleared in SQL is not rebound, so clearing the column is no way around the binding either.
     */
    @Test
    void secretsSealedBeforeTheUpgradeAreBoundOnceAndAClearedColumnIsNotRebound() {
        String app = "dest-legacy-" + suffix();
        connector(apiKeyYaml(app, app, provider.baseUrl() + "/api"));
        String legacy = apiKeyCredential(app, Map.of("apiKey", "legacy-" + UUID.randomUUID()));
        String cleared = apiKeyCredential(app, Map.of("apiKey", "cleared-" + UUID.randomUUID()));
        CredentialSecret secret = StoredSecrets.open(context, tenant.id(), legacy);
        jdbc.update("UPDATE credentials SET secret = ?, destination = NULL WHERE id = ?", context.getBean(
                SecretVault.class).seal(CredentialIds.binding(tenant.id(), legacy, null),
                CredentialStore.JSON.writeValueAsString(secret)), legacy);
        jdbc.update("UPDATE credentials SET destination = NULL WHERE id = ?", cleared);

        context.getBean(LegacySecretBinding.class).bindAll();

        assertThat(jdbc.queryForObject("SELECT destination FROM credentials WHERE id = ?", String.class, legacy))
                .startsWith("d1-");
        assertThat(call("GET", "/contacts", legacy, null).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT destination FROM credentials WHERE id = ?", String.class, cleared))
                .isNull();
        assertThat(call("GET", "/contacts", cleared, null).statusCode()).isEqualTo(409);
    }

    // ------------------------------------------------------------------ helpers

    private long auditRows(String action, String targetId) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = ? AND target_id = ?", Long.class,
                action, targetId);
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
