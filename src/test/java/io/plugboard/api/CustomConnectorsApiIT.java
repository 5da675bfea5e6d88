package io.plugboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.http.HttpRequest;
import java.util.ArrayList;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Custom connectors over the management API: the portal editor's format, validation and destination rules. A
 * change of where secrets go never strands credentials silently: 409 with what it strands, then the confirmed
 * request does what the portal's "Confirm and save" does.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomConnectorsApiIT {

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

    static String apiKeyJson(String appKey, String baseUrl) {
        return apiKeyJson(appKey, "Custom " + appKey, baseUrl);
    }

    static String apiKeyJson(String appKey, String name, String baseUrl) {
        return TestApi.json(Map.of(
                "appKey", appKey,
                "name", name,
                "category", "CRM",
                "authMode", "API_KEY",
                "api", Map.of("baseUrl", baseUrl,
                        "auth", Map.of("type", "HEADER", "headerName", "X-Api-Key", "template", "{apiKey}")),
                "fields", List.of(Map.of("key", "apiKey", "label", "API key", "secret", true))));
    }

    @Test
    void createsReadsListsReplacesAndDeletesAsTheApiClient() {
        TestTenant tenant = TestTenants.create(context, "cc-crud");
        String token = TestApi.token(tenant, "tenant");
        String appKey = key("crud");

        var created = api.post("/api/v1/custom-connectors", token, apiKeyJson(appKey, "https://api.example.com/v1"));
        var again = api.post("/api/v1/custom-connectors", token, apiKeyJson(appKey, "https://api.example.com/v1"));
        var read = api.get("/api/v1/custom-connectors/" + appKey, token);
        var listed = api.get("/api/v1/custom-connectors", token);
        var renamed = api.send("PUT", "/api/v1/custom-connectors/" + appKey, token,
                apiKeyJson(appKey, "Renamed", "https://api.example.com/v1"));
        var inCatalog = api.get("/api/v1/connectors", token);
        var deleted = api.delete("/api/v1/custom-connectors/" + appKey, token);
        var gone = api.get("/api/v1/custom-connectors/" + appKey, token);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/custom-connectors/" + appKey);
        assertThat(created.json().path("api").path("baseUrl").asString()).isEqualTo("https://api.example.com/v1");
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.json().path("field").asString()).isEqualTo("appKey");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("fields").get(0).path("key").asString()).isEqualTo("apiKey");
        assertThat(read.json().has("oauth")).isFalse();
        assertThat(listed.json().path("items").findValuesAsString("appKey")).containsExactly(appKey);
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().path("name").asString()).isEqualTo("Renamed");
        assertThat(inCatalog.body()).contains("\"appKey\":\"" + appKey + "\"");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(gone.status()).isEqualTo(404);

        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE tenant_id = ? AND target_id = ? "
                + "AND actor_type = 'API_CLIENT' AND actor_id = ? ORDER BY seq", String.class, tenant.id(), appKey,
                tenant.clientId())).containsExactly("connector.custom.created", "connector.custom.updated",
                "connector.custom.deleted");
    }

    @Test
    void acceptsTheDefinitionAsYaml() {
        TestTenant tenant = TestTenants.create(context, "cc-yaml");
        String token = TestApi.token(tenant, "tenant");
        String appKey = key("yaml");
        String yaml = """
                appKey: %s
                name: YAML CRM
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://api.example.com/v1
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(appKey);

        var created = api.send("POST", "/api/v1/custom-connectors", token, HttpRequest.BodyPublishers.ofString(yaml),
                true, "application/yaml");
        var elsewhere = api.send("POST", "/api/v1/credentials", token, HttpRequest.BodyPublishers.ofString(yaml),
                true, "application/yaml");

        var asYaml = api.getAccepting("/api/v1/custom-connectors/" + appKey, token, "application/yaml");
        var missing = api.getAccepting("/api/v1/custom-connectors/no-such-" + appKey, token, "application/yaml");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("name").asString()).isEqualTo("YAML CRM");
        assertThat(asYaml.status()).as(asYaml.toString()).isEqualTo(200);
        assertThat(asYaml.contentType()).startsWith("application/yaml");
        assertThat(asYaml.body()).contains("appKey: \"" + appKey + "\"").contains("name: \"YAML CRM\"");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(elsewhere.status()).as("YAML is for connector definitions only").isEqualTo(415);
    }

    @Test
    void validationErrorsNameTheFieldAsThePortalDoes() {
        TestTenant tenant = TestTenants.create(context, "cc-invalid");
        String token = TestApi.token(tenant, "tenant");

        var badUrl = api.post("/api/v1/custom-connectors", token, apiKeyJson(key("bad"), "ftp://api.example.com"));
        var unknownKey = api.post("/api/v1/custom-connectors", token, "{\"appKey\": \"x\", \"nope\": 1}");
        var catalogKey = api.post("/api/v1/custom-connectors", token, apiKeyJson("hubspot", "https://api.example.com"));
        var notJson = api.post("/api/v1/custom-connectors", token, "{");
        String appKey = key("rekey");
        api.post("/api/v1/custom-connectors", token, apiKeyJson(appKey, "https://api.example.com/v1"));
        var rekeyed = api.send("PUT", "/api/v1/custom-connectors/" + appKey, token,
                apiKeyJson(key("other"), "https://api.example.com/v1"));

        assertThat(badUrl.json().path("field").asString()).startsWith("api.baseUrl");
        assertThat(unknownKey.json().path("detail").asString()).contains("unknown key 'nope'");
        assertThat(catalogKey.json().path("field").asString()).isEqualTo("appKey");
        assertThat(notJson.json().path("detail").asString()).contains("not valid JSON");
        assertThat(rekeyed.json().path("field").asString()).isEqualTo("appKey");
        for (var bad : List.of(badUrl, unknownKey, catalogKey, notJson, rekeyed)) {
            assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void aDestinationChangeThatStrandsCredentialsIsRefusedUntilConfirmed() {
        TestTenant tenant = TestTenants.create(context, "cc-strand");
        String token = TestApi.token(tenant, "tenant");
        String appKey = key("strand");
        api.post("/api/v1/custom-connectors", token, apiKeyJson(appKey, "https://api.example.com/v1"));
        api.patch("/api/v1/integrations/" + appKey, token, "{\"enabled\": true}");
        String first = credential(token, appKey, "u1");
        String second = credential(token, appKey, "u2");
        String moved = apiKeyJson(appKey, "https://elsewhere.example.net/v1");

        var unconfirmed = api.send("PUT", "/api/v1/custom-connectors/" + appKey, token, moved);
        var stale = api.send("PUT", "/api/v1/custom-connectors/" + appKey + "?strandCredentials=1", token, moved);
        String unchanged = api.get("/api/v1/custom-connectors/" + appKey, token).json().path("api").path("baseUrl")
                .asString();
        String statusBefore = status(first);
        var confirmed = api.send("PUT", "/api/v1/custom-connectors/" + appKey + "?strandCredentials=2", token, moved);

        assertThat(unconfirmed.status()).as(unconfirmed.toString()).isEqualTo(409);
        assertThat(unconfirmed.contentType()).startsWith("application/problem+json");
        assertThat(unconfirmed.json().path("credentialsNeedingReconnect").asInt()).isEqualTo(2);
        assertThat(unconfirmed.json().path("detail").asString()).contains("2 credentials will need reconnecting")
                .contains("strandCredentials=2");
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
        assertThat(unchanged).isEqualTo("https://api.example.com/v1");
        assertThat(statusBefore).isEqualTo("ACTIVE");
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(confirmed.json().path("api").path("baseUrl").asString()).isEqualTo("https://elsewhere.example.net/v1");
        assertThat(status(first)).isEqualTo("NEEDS_RECONNECT");
        assertThat(status(second)).isEqualTo("NEEDS_RECONNECT");
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE tenant_id = ? AND target_id = ? "
                + "AND action = 'connector.custom.updated' AND actor_type = 'API_CLIENT'", String.class, tenant.id(),
                appKey)).contains("credentialsNeedingReconnect");
    }

    @Test
    void aConfirmedDestinationChangeForgetsTheOAuthAppSecretEnteredForTheOldOne() {
        TestTenant tenant = TestTenants.create(context, "cc-oauth");
        String token = TestApi.token(tenant, "tenant");
        String appKey = key("oauth");
        var created = api.post("/api/v1/custom-connectors", token, oauthJson(appKey, "https://auth.example.com"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        api.send("PUT", "/api/v1/integrations/" + appKey + "/oauth-app", token,
                "{\"clientId\": \"app\", \"clientSecret\": \"s-" + UUID.randomUUID() + "\"}");
        String moved = oauthJson(appKey, "https://auth.elsewhere.example.net");

        var unconfirmed = api.send("PUT", "/api/v1/custom-connectors/" + appKey, token, moved);
        boolean setBefore = app(token, appKey).path("clientSecretSet").asBoolean();
        var confirmed = api.send("PUT", "/api/v1/custom-connectors/" + appKey + "?strandCredentials=0", token, moved);

        assertThat(unconfirmed.status()).as(unconfirmed.toString()).isEqualTo(409);
        assertThat(unconfirmed.json().path("credentialsNeedingReconnect").asInt()).isZero();
        assertThat(unconfirmed.json().path("oauthAppSecretCleared").asBoolean()).isTrue();
        assertThat(setBefore).isTrue();
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(app(token, appKey).path("clientSecretSet").asBoolean()).isFalse();
        assertThat(app(token, appKey).path("clientId").asString()).isEqualTo("app");
    }

    private JsonNode app(String token, String appKey) {
        return api.get("/api/v1/integrations/" + appKey, token).json().path("oauthApp");
    }

    static String oauthJson(String appKey, String authBase) {
        return TestApi.json(Map.of(
                "appKey", appKey,
                "name", "OAuth " + appKey,
                "category", "CRM",
                "authMode", "OAUTH2_AUTHORIZATION_CODE",
                "oauth", Map.of("authorizationUrl", authBase + "/authorize", "tokenUrl", authBase + "/token"),
                "api", Map.of("baseUrl", "https://api.example.com/v1", "auth", Map.of("type", "BEARER"))));
    }

    @Test
    void deletingAConnectorWithCredentialsIsRefusedUntilConfirmed() {
        TestTenant tenant = TestTenants.create(context, "cc-delete");
        String token = TestApi.token(tenant, "tenant");
        String appKey = key("delete");
        api.post("/api/v1/custom-connectors", token, apiKeyJson(appKey, "https://api.example.com/v1"));
        api.patch("/api/v1/integrations/" + appKey, token, "{\"enabled\": true}");
        String id = credential(token, appKey, "u1");

        var unconfirmed = api.delete("/api/v1/custom-connectors/" + appKey, token);
        boolean keptWhileUnconfirmed = api.get("/api/v1/custom-connectors/" + appKey, token).status() == 200;
        var confirmed = api.delete("/api/v1/custom-connectors/" + appKey + "?strandCredentials=1", token);

        assertThat(unconfirmed.status()).as(unconfirmed.toString()).isEqualTo(409);
        assertThat(unconfirmed.json().path("credentialsNeedingReconnect").asInt()).isEqualTo(1);
        assertThat(keptWhileUnconfirmed).isTrue();
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);
        assertThat(status(id)).isEqualTo("NEEDS_RECONNECT");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM integrations WHERE tenant_id = ? AND app_key = ?",
                Integer.class, tenant.id(), appKey)).isZero();
        assertThat(api.get("/api/v1/integrations", token).body()).doesNotContain(appKey);
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE tenant_id = ? AND target_id = ? "
                + "AND action = 'connector.custom.deleted' AND actor_type = 'API_CLIENT'", String.class, tenant.id(),
                appKey)).contains("credentialsNeedingReconnect");
        // Its credentials are still listed, and can still be revoked here.
        var revoked = api.delete("/api/v1/credentials/" + id, token);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(status(id)).isEqualTo("REVOKED");
    }

    @Test
    void anotherTenantsConnectorIsNotFoundAndUntouched() {
        TestTenant owner = TestTenants.create(context, "cc-owner");
        TestTenant other = TestTenants.create(context, "cc-other");
        String appKey = key("owned");
        api.post("/api/v1/custom-connectors", TestApi.token(owner, "tenant"),
                apiKeyJson(appKey, "https://api.example.com/v1"));
        String token = TestApi.token(other, "tenant");

        var responses = List.of(api.get("/api/v1/custom-connectors/" + appKey, token),
                api.send("PUT", "/api/v1/custom-connectors/" + appKey + "?strandCredentials=0", token,
                        apiKeyJson(appKey, "https://evil.example.net")),
                api.delete("/api/v1/custom-connectors/" + appKey + "?strandCredentials=0", token),
                api.send("PUT", "/api/v1/custom-connectors/hubspot", token, apiKeyJson("hubspot", "https://x.example")));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
        });
        assertThat(api.get("/api/v1/custom-connectors", token).json().path("items").isEmpty()).isTrue();
        assertThat(api.get("/api/v1/custom-connectors/" + appKey, TestApi.token(owner, "tenant")).json()
                .path("api").path("baseUrl").asString()).isEqualTo("https://api.example.com/v1");
    }

    @Test
    void theOpenApiDocumentDescribesTheManagementApi() {
        var docs = api.get("/v3/api-docs", null).json();

        JsonNode create = docs.path("paths").path("/api/v1/custom-connectors").path("post");
        assertThat(create.path("requestBody").path("content").path("application/json").path("schema").path("$ref")
                .asString()).isEqualTo("/connectors/schema.json");
        assertThat(create.path("requestBody").path("content").has("application/yaml")).isTrue();
        assertThat(create.path("tags").get(0).asString()).isEqualTo("Custom connectors");
        assertThat(docs.path("paths").path("/api/v1/custom-connectors/{appKey}").path("put").path("parameters")
                .findValuesAsString("name")).contains("appKey", "strandCredentials");
        for (String path : List.of("/api/v1/integrations", "/api/v1/integrations/{appKey}",
                "/api/v1/integrations/{appKey}/oauth-app", "/api/v1/integrations/{appKey}/settings")) {
            assertThat(docs.path("paths").path(path).properties()).as(path).isNotEmpty();
        }
        assertThat(docs.path("components").path("schemas").path("OAuthAppRequest").path("properties")
                .path("clientSecret").path("writeOnly").asBoolean()).isTrue();
    }

    /**
     * The OpenAPI document points at the definition format's own JSON Schema, which the general fuzz test does not
     * walk into; so here: odd values in every part of a definition, each a 4xx problem, never a server error.
     */
    @Test
    void oddValuesAnywhereInADefinitionAreProblemsNeverServerErrors() {
        TestTenant tenant = TestTenants.create(context, "cc-odd");
        String token = TestApi.token(tenant, "tenant");
        String appKey = key("odd");
        api.post("/api/v1/custom-connectors", token, apiKeyJson(appKey, "https://api.example.com/v1"));
        List<String> paths = List.of("/appKey", "/name", "/category", "/docsUrl", "/sources", "/logo", "/authMode",
                "/api", "/api/baseUrl", "/api/auth", "/api/auth/type", "/api/auth/headerName", "/api/auth/template",
                "/api/allowedHosts", "/api/headers", "/fields", "/fields/0", "/fields/0/key", "/fields/0/label",
                "/fields/0/secret", "/metadata", "/testRequest", "/testRequest/path", "/oauth", "/oauth/tokenUrl",
                "/oauth/defaultTokenLifetime", "/oauth/tokenParams", "/tenantSettings", "/tenantSettings/headers");
        List<String> values = List.of("null", "\"\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"" + "x".repeat(10_000) + "\"",
                "\"line\\nbreak\"", "\"\\u202eevil\"", "-1", "1e309", "true", "{}", "[]", "[null]",
                "{\"\\u0000\":\"v\"}", "[".repeat(40) + "]".repeat(40));
        var failures = new ArrayList<String>();
        for (String path : paths) {
            for (String value : values) {
                var tree = (ObjectNode) TestApi.JSON.readTree(
                        apiKeyJson(appKey, "https://api.example.com/v1"));
                put(tree, path);
                String body = TestApi.JSON.writeValueAsString(tree).replace("\"@@HOLE@@\"", value);
                for (var response : List.of(api.post("/api/v1/custom-connectors", token, body),
                        api.send("PUT", "/api/v1/custom-connectors/" + appKey + "?strandCredentials=0", token, body))) {
                    if (response.status() >= 500 || response.status() >= 400
                            && !response.contentType().startsWith("application/problem+json")) {
                        failures.add(path + "=" + value.substring(0, Math.min(40, value.length())) + " -> " + response
                                .toString().substring(0, Math.min(300, response.toString().length())));
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Puts the hole at a JSON pointer, creating the objects on the way. */
    private static void put(ObjectNode root, String pointer) {
        String[] parts = pointer.substring(1).split("/");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.isArray() ? node.get(Integer.parseInt(parts[i]))
                    : node.get(parts[i]);
            if (child == null || !child.isContainer()) {
                child = ((ObjectNode) node).putObject(parts[i]);
            }
            node = child;
        }
        String last = parts[parts.length - 1];
        if (node.isArray()) {
            ((ArrayNode) node).set(Integer.parseInt(last), "@@HOLE@@");
        } else {
            ((ObjectNode) node).put(last, "@@HOLE@@");
        }
    }

    private String credential(String token, String appKey, String endUser) {
        var response = api.post("/api/v1/credentials", token, TestApi.json(Map.of("appKey", appKey,
                "endUserId", endUser, "fields", Map.of("apiKey", "key-" + UUID.randomUUID()))));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    private String status(String credentialId) {
        return jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, credentialId);
    }

    private static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
