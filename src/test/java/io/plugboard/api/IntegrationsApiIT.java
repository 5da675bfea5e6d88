package io.plugboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The tenant's integrations over the management API: what the portal's Connectors page does, through the same
 * services, with a tenant-wide token. The OAuth client secret and secret settings go in and never come out.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntegrationsApiIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private TestApi api;

    @BeforeAll
    void api() {
        api = new TestApi(port);
    }

    @Test
    void listsEveryConnectorTheTenantCanUseWithItsIntegration() {
        TestTenant tenant = TestTenants.create(context, "int-list");
        String token = TestApi.token(tenant, "tenant");

        var response = api.get("/api/v1/integrations", token);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode hubspot = item(response.json(), "hubspot");
        assertThat(hubspot.path("authMode").asString()).isEqualTo("OAUTH2_AUTHORIZATION_CODE");
        assertThat(hubspot.path("enabled").asBoolean()).isFalse();
        assertThat(hubspot.path("oauthApp").path("configured").asBoolean()).isFalse();
        assertThat(hubspot.path("oauthApp").path("redirectUri").asString()).endsWith("/connect/oauth/callback");
        assertThat(hubspot.path("oauthApp").path("scopes").isArray()).isTrue();
        JsonNode followUpBoss = item(response.json(), "followupboss");
        assertThat(followUpBoss.path("oauthApp").isNull()).isTrue();
        assertThat(followUpBoss.path("settings").findValuesAsString("key")).containsExactly("systemName", "systemKey");
        JsonNode roller = item(response.json(), "roller");
        assertThat(roller.path("oauthApp").path("redirectUri").isNull()).isTrue();
    }

    @Test
    void setsTheOAuthAppEnablesAndNeverReturnsOrAuditsTheSecret() {
        TestTenant tenant = TestTenants.create(context, "int-app");
        String token = TestApi.token(tenant, "tenant");
        String secret = "hubspot-secret-" + UUID.randomUUID();

        var refused = api.patch("/api/v1/integrations/hubspot", token, "{\"enabled\": true}");
        var app = api.send("PUT", "/api/v1/integrations/hubspot/oauth-app", token,
                TestApi.json(Map.of("clientId", "hub-client", "clientSecret", secret, "scopes", List.of("crm.objects.contacts.read"))));
        var enabled = api.patch("/api/v1/integrations/hubspot", token, "{\"enabled\": true}");
        var keptSecret = api.send("PUT", "/api/v1/integrations/hubspot/oauth-app", token,
                "{\"clientId\": \"hub-client-2\"}");
        var read = api.get("/api/v1/integrations/hubspot", token);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("detail").asString()).contains("client ID and client secret before enabling");
        assertThat(app.status()).as(app.toString()).isEqualTo(200);
        assertThat(app.json().path("oauthApp").path("configured").asBoolean()).isTrue();
        assertThat(app.json().path("enabled").asBoolean()).isFalse();
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();
        // Omitting the secret keeps the stored one, as the portal's empty field does; the scopes are kept too.
        assertThat(keptSecret.status()).as(keptSecret.toString()).isEqualTo(200);
        assertThat(read.json().path("enabled").asBoolean()).isTrue();
        assertThat(read.json().path("oauthApp").path("clientId").asString()).isEqualTo("hub-client-2");
        assertThat(read.json().path("oauthApp").path("clientSecretSet").asBoolean()).isTrue();
        assertThat(read.json().path("oauthApp").path("scopes").get(0).asString()).isEqualTo("crm.objects.contacts.read");
        for (var response : List.of(refused, app, enabled, keptSecret, read)) {
            assertThat(response.body()).doesNotContain(secret);
        }
        assertThat(api.get("/api/v1/integrations", token).body()).doesNotContain(secret);

        var audits = jdbc.queryForList("SELECT actor_type, actor_id, actor_label, details FROM audit_events "
                + "WHERE tenant_id = ? AND action = 'integration.updated' AND target_id = 'hubspot' ORDER BY seq",
                tenant.id());
        assertThat(audits).hasSize(3);
        assertThat(audits).allSatisfy(row -> {
            assertThat(row.get("actor_type")).isEqualTo("API_CLIENT");
            assertThat(row.get("actor_id")).isEqualTo(tenant.clientId());
            assertThat(row.get("actor_label")).isEqualTo("tenant");
            assertThat((String) row.get("details")).doesNotContain(secret);
        });
        assertThat(TestApi.JSON.readTree((String) audits.get(0).get("details")).path("clientSecretChanged")
                .asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? AND details LIKE ?",
                Integer.class, tenant.id(), "%" + secret + "%")).isZero();
    }

    @Test
    void removesTheOAuthAppOnlyOnceTheConnectorIsDisabled() {
        TestTenant tenant = TestTenants.create(context, "int-remove");
        String token = TestApi.token(tenant, "tenant");
        api.send("PUT", "/api/v1/integrations/hubspot/oauth-app", token,
                "{\"clientId\": \"c\", \"clientSecret\": \"s-" + UUID.randomUUID() + "\"}");
        api.patch("/api/v1/integrations/hubspot", token, "{\"enabled\": true}");

        var refused = api.delete("/api/v1/integrations/hubspot/oauth-app", token);
        api.patch("/api/v1/integrations/hubspot", token, "{\"enabled\": false}");
        var removed = api.delete("/api/v1/integrations/hubspot/oauth-app", token);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("detail").asString()).contains("Disable HubSpot");
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().path("oauthApp").path("configured").asBoolean()).isFalse();
        assertThat(removed.json().path("oauthApp").path("clientId").isNull()).isTrue();
        assertThat(removed.json().path("oauthApp").path("clientSecretSet").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject("SELECT client_secret IS NULL AND client_id IS NULL FROM integrations "
                + "WHERE tenant_id = ? AND app_key = 'hubspot'", Boolean.class, tenant.id())).isTrue();
        assertThat(jdbc.queryForObject("SELECT actor_type FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'integration.oauth_app_removed'", String.class, tenant.id())).isEqualTo("API_CLIENT");
    }

    @Test
    void connectorSettingsAreSetAndTheSecretOneIsOnlySaidToBeSet() {
        TestTenant tenant = TestTenants.create(context, "int-settings");
        String token = TestApi.token(tenant, "tenant");
        String systemKey = "fub-system-key-" + UUID.randomUUID();

        var saved = api.send("PUT", "/api/v1/integrations/followupboss/settings", token, TestApi.json(Map.of(
                "values", Map.of("systemName", "AcmeCRM"), "secrets", Map.of("systemKey", systemKey))));
        var unknown = api.send("PUT", "/api/v1/integrations/followupboss/settings", token,
                "{\"values\": {\"nope\": \"x\"}}");
        var secretAsPlain = api.send("PUT", "/api/v1/integrations/followupboss/settings", token,
                "{\"values\": {\"systemKey\": \"x\"}}");

        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        JsonNode settings = saved.json().path("settings");
        assertThat(settings.get(0).path("key").asString()).isEqualTo("systemName");
        assertThat(settings.get(0).path("value").asString()).isEqualTo("AcmeCRM");
        assertThat(settings.get(1).path("key").asString()).isEqualTo("systemKey");
        assertThat(settings.get(1).path("secret").asBoolean()).isTrue();
        assertThat(settings.get(1).path("set").asBoolean()).isTrue();
        assertThat(settings.get(1).path("value").isNull()).isTrue();
        assertThat(saved.body()).doesNotContain(systemKey);
        assertThat(api.get("/api/v1/integrations/followupboss", token).body()).doesNotContain(systemKey);
        for (var bad : List.of(unknown, secretAsPlain)) {
            assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
        }
        assertThat(unknown.json().path("field").asString()).isEqualTo("nope");
        assertThat(jdbc.queryForObject("SELECT actor_type FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'integration.settings_updated'", String.class, tenant.id())).isEqualTo("API_CLIENT");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE tenant_id = ? AND details LIKE ?",
                Integer.class, tenant.id(), "%" + systemKey + "%")).isZero();
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        TestTenant tenant = TestTenants.create(context, "int-bad");
        String token = TestApi.token(tenant, "tenant");

        var noEnabled = api.patch("/api/v1/integrations/hubspot", token, "{}");
        var noClientId = api.send("PUT", "/api/v1/integrations/hubspot/oauth-app", token, "{\"clientSecret\": \"s\"}");
        var badScope = api.send("PUT", "/api/v1/integrations/hubspot/oauth-app", token,
                "{\"clientId\": \"c\", \"scopes\": [\"a\\\"b\"]}");
        var nul = api.send("PUT", "/api/v1/integrations/hubspot/oauth-app", token, "{\"clientId\": \"a\\u0000b\"}");
        var clientIdForClientCredentials = api.send("PUT", "/api/v1/integrations/roller/oauth-app", token,
                "{\"clientId\": \"c\"}");
        var apiKeyConnector = api.send("PUT", "/api/v1/integrations/followupboss/oauth-app", token,
                "{\"scopes\": []}");
        var unknownConnector = api.patch("/api/v1/integrations/no-such-connector", token, "{\"enabled\": true}");

        assertThat(noEnabled.json().path("field").asString()).isEqualTo("enabled");
        assertThat(noClientId.json().path("field").asString()).isEqualTo("clientId");
        assertThat(nul.json().path("field").asString()).isEqualTo("clientId");
        assertThat(clientIdForClientCredentials.json().path("field").asString()).isEqualTo("clientId");
        for (var bad : List.of(noEnabled, noClientId, badScope, nul, clientIdForClientCredentials, apiKeyConnector)) {
            assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
        }
        assertThat(unknownConnector.status()).as(unknownConnector.toString()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM integrations WHERE tenant_id = ?", Integer.class,
                tenant.id())).isZero();
    }

    @Test
    void anotherTenantsCustomConnectorIsNotFoundAndUntouched() {
        TestTenant owner = TestTenants.create(context, "int-owner");
        TestTenant other = TestTenants.create(context, "int-other");
        String appKey = "own-" + UUID.randomUUID().toString().substring(0, 8);
        var created = api.post("/api/v1/custom-connectors", TestApi.token(owner, "tenant"),
                CustomConnectorsApiIT.apiKeyJson(appKey, "https://api.example.com/v1"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = TestApi.token(other, "tenant");

        var responses = List.of(api.get("/api/v1/integrations/" + appKey, token),
                api.patch("/api/v1/integrations/" + appKey, token, "{\"enabled\": true}"),
                api.send("PUT", "/api/v1/integrations/" + appKey + "/settings", token, "{}"),
                api.delete("/api/v1/integrations/" + appKey + "/oauth-app", token));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
        });
        assertThat(api.get("/api/v1/integrations", token).body()).doesNotContain(appKey);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM integrations WHERE app_key = ?", Integer.class, appKey))
                .isZero();
    }

    private static JsonNode item(JsonNode list, String appKey) {
        for (JsonNode item : list.path("items")) {
            if (item.path("appKey").asString().equals(appKey)) {
                return item;
            }
        }
        throw new AssertionError(appKey + " not listed");
    }
}
