package io.plugboard.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Universal CRM API over MCP, driven by the MCP SDK's own client against the running server: a Follow Up Boss
 * stand-in (WireMock) answers with the documented records of {@code universal/followupboss/} (each stub file names
 * its documentation pages), the same stubs the REST API's tests use.
 */
@PlugboardTest
class McpServerIT extends ProxyTestSupport {

    private static final String API_KEY = "fub-mcp-key";
    private static final String INITIALIZE = """
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
             "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}""";

    private String appKey;
    private String credentialId;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = connector("""
                appKey: fub-standin
                name: Follow Up Boss (stand-in)
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s/v1
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(provider.baseUrl()));
        credentialId = apiKeyCredential(appKey, Map.of("apiKey", API_KEY));
    }

    @Test
    void initializesAndListsTheCrmTools() {
        try (var client = client(jwt())) {
            assertThat(client.getServerInfo().name()).isEqualTo("plugboard");
            assertThat(client.getServerCapabilities().tools()).isNotNull();

            var tools = client.listTools().tools();

            assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder(
                    "list_crm_credentials", "search_people", "get_person_overview", "create_person", "create_note",
                    "create_task");
            var search = tools.stream().filter(t -> t.name().equals("search_people")).findFirst().orElseThrow();
            assertThat(JSON.valueToTree(search.inputSchema()).path("required")).extracting(JsonNode::asString)
                    .containsExactly("credentialId");
            assertThat(search.annotations().readOnlyHint()).isTrue();
        }
    }

    @Test
    void listsTheCrmCredentialsWithoutSecretsOrOtherConnectors() {
        String plain = apiKeyConnectorAt("mcpplain", provider.baseUrl());
        String plainCredential = apiKeyCredential(plain, Map.of("apiKey", "not-a-crm-key"));

        try (var client = client(jwt())) {
            var result = client.callTool(new McpSchema.CallToolRequest("list_crm_credentials", Map.of()));

            assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
            JsonNode page = structured(result);
            assertThat(page.path("items")).extracting(i -> i.path("id").asString())
                    .contains(credentialId).doesNotContain(plainCredential);
            JsonNode fub = find(page.path("items"), credentialId);
            assertThat(fub.path("connector").asString()).isEqualTo("fub-standin");
            assertThat(fub.path("status").asString()).isEqualTo("ACTIVE");
            assertThat(text(result)).doesNotContain(API_KEY);
        }
    }

    @Test
    void searchesPeopleByEmailThroughTheSameCallLogAsRest() {
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("email", equalTo("mary@example.com"))
                .willReturn(okJson(stub("people-page-3.json"))));

        try (var client = client(jwt())) {
            var result = client.callTool(new McpSchema.CallToolRequest("search_people",
                    Map.of("credentialId", credentialId, "email", "mary@example.com", "limit", 5)));

            assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
            JsonNode page = structured(result);
            assertThat(page.path("items")).extracting(p -> p.path("id").asString()).containsExactly("946");
            assertThat(page.path("nextCursor").isNull()).isTrue();
            // The text content is the same JSON, for clients that show only text to the model.
            assertThat(JSON.readTree(text(result))).isEqualTo(page);
        }
        provider.verify(getRequestedFor(urlPathEqualTo("/v1/people")).withQueryParam("limit", equalTo("5"))
                .withHeader("Authorization", equalTo("Basic " + java.util.Base64.getEncoder()
                        .encodeToString((API_KEY + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        callLog.flush();
        var logged = jdbc.queryForList("SELECT source, actor, status FROM proxy_calls WHERE credential_id = ?"
                + " AND path LIKE '/people?%email=%'", credentialId);
        assertThat(logged).hasSize(1);
        assertThat(logged.getFirst()).containsEntry("source", "UNIVERSAL").containsEntry("actor", "mcp:tenant")
                .containsEntry("status", 200);
    }

    @Test
    void givesAPersonsOverviewWithTheirNotesAndOpenTasks() {
        provider.stubFor(get(urlPathEqualTo("/v1/people/123")).willReturn(okJson(stub("person.json"))));
        provider.stubFor(get(urlPathEqualTo("/v1/notes")).withQueryParam("personId", equalTo("123"))
                .withQueryParam("limit", equalTo("5")).willReturn(okJson(stub("notes-page-1.json"))));
        provider.stubFor(get(urlPathEqualTo("/v1/tasks")).withQueryParam("personId", equalTo("123"))
                .withQueryParam("limit", equalTo("25")).willReturn(okJson(stub("tasks-page-1.json"))));

        try (var client = client(jwt())) {
            var result = client.callTool(new McpSchema.CallToolRequest("get_person_overview",
                    Map.of("credentialId", credentialId, "personId", "123")));

            assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
            JsonNode person = structured(result).path("person");
            assertThat(person.path("name").asString()).isEqualTo("Mary Mcmillan");
            assertThat(person.path("emails").get(0).path("value").asString()).isEqualTo("mary@example.com");
            assertThat(person.path("addresses").get(0).path("postalCode").asString()).isEqualTo("85251");
            JsonNode notes = structured(result).path("notes");
            assertThat(notes.path("items")).extracting(n -> n.path("id").asString()).containsExactly("1105", "1104");
            assertThat(notes.path("unavailable").isNull()).isTrue();
            // Task 311 of the page is completed: only the open one is in the overview.
            assertThat(structured(result).path("openTasks").path("items")).extracting(t -> t.path("id").asString())
                    .containsExactly("310");

            // An id is one path segment: a dot segment would move the call to another of the CRM's endpoints.
            var dots = client.callTool(new McpSchema.CallToolRequest("get_person_overview",
                    Map.of("credentialId", credentialId, "personId", "..")));
            assertThat(dots.isError()).isTrue();
            assertThat(text(dots)).contains("An id cannot be '.' or '..'");
        }
    }

    @Test
    void addsANoteAndATaskWithTheBodiesFollowUpBossDocuments() {
        provider.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("note.json"))));
        provider.stubFor(post(urlPathEqualTo("/v1/tasks")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("task.json"))));

        try (var client = client(jwt())) {
            var note = client.callTool(new McpSchema.CallToolRequest("create_note", Map.of(
                    "credentialId", credentialId, "personId", "123", "body", "Called, wants a viewing on Saturday.")));
            var task = client.callTool(new McpSchema.CallToolRequest("create_task", Map.of(
                    "credentialId", credentialId, "personId", "123", "title", "Call about the viewing",
                    "dueAt", "2026-03-05T12:00:00-05:00", "assignedUserId", "7")));
            var untitled = client.callTool(new McpSchema.CallToolRequest("create_task", Map.of(
                    "credentialId", credentialId, "personId", "123", "title", "  ")));

            assertThat(note.isError()).as(text(note)).isNotEqualTo(Boolean.TRUE);
            assertThat(structured(note).path("id").asString()).isEqualTo("1106");
            assertThat(task.isError()).as(text(task)).isNotEqualTo(Boolean.TRUE);
            assertThat(structured(task).path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
            assertThat(untitled.isError()).isTrue();
            assertThat(text(untitled)).contains("title: is required");
        }
        provider.verify(postRequestedFor(urlPathEqualTo("/v1/notes")).withRequestBody(equalToJson("""
                {"personId": 123, "body": "Called, wants a viewing on Saturday."}""")));
        provider.verify(1, postRequestedFor(urlPathEqualTo("/v1/tasks")).withRequestBody(equalToJson("""
                {"personId": 123, "name": "Call about the viewing", "dueDateTime": "2026-03-05T17:00:00Z",
                 "assignedUserId": 7}""")));
    }

    @Test
    void createsAPersonWithTheBodyFollowUpBossDocuments() {
        provider.stubFor(post(urlPathEqualTo("/v1/people")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("person.json"))));

        try (var client = client(jwt())) {
            var result = client.callTool(new McpSchema.CallToolRequest("create_person", Map.of(
                    "credentialId", credentialId, "firstName", "Mary", "lastName", "Mcmillan",
                    "emails", List.of(Map.of("value", "mary@example.com", "type", "home", "isPrimary", true)),
                    "tags", List.of("Buyer"), "stage", "Lead", "source", "Zillow")));

            assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
            assertThat(structured(result).path("id").asString()).isEqualTo("123");
        }
        provider.verify(postRequestedFor(urlPathEqualTo("/v1/people")).withRequestBody(equalToJson("""
                {"firstName": "Mary", "lastName": "Mcmillan",
                 "emails": [{"value": "mary@example.com", "type": "home", "isPrimary": true}],
                 "tags": ["Buyer"], "stage": "Lead", "source": "Zillow"}""")));
    }

    @Test
    void refusalsAreToolErrorsWithTheRestApisProblem() {
        provider.stubFor(get(urlPathEqualTo("/v1/people/999")).willReturn(aResponse().withStatus(404)));

        try (var client = client(jwt())) {
            var missing = client.callTool(new McpSchema.CallToolRequest("get_person_overview",
                    Map.of("credentialId", credentialId, "personId", "999")));
            var nameless = client.callTool(new McpSchema.CallToolRequest("create_person",
                    Map.of("credentialId", credentialId, "tags", List.of("Buyer"))));
            var wrongType = client.callTool(new McpSchema.CallToolRequest("search_people",
                    Map.of("credentialId", credentialId, "limit", "many")));
            var noSuchCredential = client.callTool(new McpSchema.CallToolRequest("search_people",
                    Map.of("credentialId", "cred_doesnotexist")));

            assertThat(missing.isError()).isTrue();
            assertThat(text(missing)).isEqualTo("Follow Up Boss (stand-in) has no such record");
            assertThat(structured(missing).path("status").asInt()).isEqualTo(404);
            assertThat(structured(missing).path("type").asString()).endsWith("/not-found");
            assertThat(nameless.isError()).isTrue();
            assertThat(text(nameless)).isEqualTo("body: a person needs a name, an e-mail address or a phone number");
            assertThat(structured(nameless).path("status").asInt()).isEqualTo(400);
            assertThat(wrongType.isError()).isTrue();
            assertThat(text(wrongType)).contains("limit");
            assertThat(noSuchCredential.isError()).isTrue();
            assertThat(structured(noSuchCredential).path("status").asInt()).isEqualTo(404);
            for (var result : List.of(missing, nameless, wrongType, noSuchCredential)) {
                assertThat(text(result)).doesNotContain("Exception", "\tat ");
            }
        }
        provider.verify(0, postRequestedFor(urlPathEqualTo("/v1/people")));
    }

    @Test
    void searchAndOverviewAnswerFromTheSyncedRecordsOnceTheModelIsSynced() {
        String alices = credential(tenant, appKey, "alice-synced", Map.of("apiKey", "alice-key"), null);
        storePerson(alices, "501", "Ada Synced", "Buyer", "Lead", "2026-03-02T10:00:00Z");
        storePerson(alices, "502", "Bea Synced", "Seller", "Lead", "2026-03-03T10:00:00Z");
        storePerson(alices, "503", "Cid Synced", "Buyer", "Past Client", "2026-03-01T10:00:00Z");
        jdbc.update("""
                INSERT INTO sync_states (tenant_id, credential_id, model, enabled, frequency_minutes, phase,
                                         last_success_at, next_run_at, created_at, updated_at)
                VALUES (?, ?, 'people', true, 60, 'INCREMENTAL', now(), now() + interval '1 hour', now(), now())""",
                tenant.id(), alices);

        try (var alice = client(jwt(tenant, "alice-synced")); var bob = client(jwt(tenant, "bob-synced"))) {
            var all = alice.callTool(new McpSchema.CallToolRequest("search_people", Map.of("credentialId", alices)));
            var buyers = alice.callTool(new McpSchema.CallToolRequest("search_people",
                    Map.of("credentialId", alices, "tag", "Buyer", "stage", "Lead")));
            var overview = alice.callTool(new McpSchema.CallToolRequest("get_person_overview",
                    Map.of("credentialId", alices, "personId", "503")));
            var asBob = bob.callTool(new McpSchema.CallToolRequest("search_people", Map.of("credentialId", alices)));

            assertThat(all.isError()).as(text(all)).isNotEqualTo(Boolean.TRUE);
            assertThat(structured(all).path("items")).extracting(p -> p.path("id").asString())
                    .containsExactly("502", "501", "503");
            assertThat(structured(all).path("syncedAt").asString()).isNotEmpty();
            assertThat(structured(all).path("items").get(0).path("tags")).extracting(JsonNode::asString)
                    .containsExactly("Seller");
            assertThat(structured(buyers).path("items")).extracting(p -> p.path("id").asString())
                    .containsExactly("501");
            assertThat(overview.isError()).as(text(overview)).isNotEqualTo(Boolean.TRUE);
            assertThat(structured(overview).path("person").path("name").asString()).isEqualTo("Cid Synced");
            assertThat(asBob.isError()).isTrue();
            assertThat(structured(asBob).path("status").asInt()).isEqualTo(404);
        }
        // Only the overview's notes and tasks, which are not synced, went to the CRM.
        provider.verify(0, getRequestedFor(urlPathEqualTo("/v1/people")));
        provider.verify(0, getRequestedFor(urlPathEqualTo("/v1/people/503")));

        // Turned off, the model is the CRM's again with the next call, and store-only filters are refused.
        jdbc.update("UPDATE sync_states SET enabled = false WHERE credential_id = ?", alices);
        provider.stubFor(get(urlPathEqualTo("/v1/people")).willReturn(okJson(stub("people-page-3.json"))));
        try (var alice = client(jwt(tenant, "alice-synced"))) {
            var live = alice.callTool(new McpSchema.CallToolRequest("search_people", Map.of("credentialId", alices)));
            var tagged = alice.callTool(new McpSchema.CallToolRequest("search_people",
                    Map.of("credentialId", alices, "tag", "Buyer")));

            assertThat(structured(live).path("items")).extracting(p -> p.path("id").asString()).containsExactly("946");
            assertThat(structured(live).has("syncedAt")).isFalse();
            assertThat(tagged.isError()).isTrue();
            assertThat(structured(tagged).path("type").asString()).endsWith("/sync-required");
        }
        provider.verify(1, getRequestedFor(urlPathEqualTo("/v1/people")));
    }

    private void storePerson(String credential, String id, String name, String tag, String stage, String updated) {
        jdbc.update("""
                INSERT INTO synced_people (tenant_id, credential_id, provider_id, name, tags, stage, search,
                                           updated_at, original, synced_at)
                VALUES (?, ?, ?, ?, jsonb_build_array(CAST(? AS text)), ?, lower(?), CAST(? AS timestamptz),
                        '{}', now())""", tenant.id(), credential, id, name, tag, stage, name, updated);
    }

    @Test
    void anEndUsersTokenReachesOnlyThatEndUsersCredentials() {
        String alices = credential(tenant, appKey, "alice", Map.of("apiKey", "alice-key"), null);
        provider.stubFor(get(urlPathEqualTo("/v1/people/123")).willReturn(okJson(stub("person.json"))));
        var overview = new McpSchema.CallToolRequest("get_person_overview",
                Map.of("credentialId", alices, "personId", "123"));

        try (var bob = client(jwt(tenant, "bob")); var alice = client(jwt(tenant, "alice"))) {
            var asBob = bob.callTool(overview);
            var asAlice = alice.callTool(overview);
            JsonNode bobsList = structured(bob.callTool(new McpSchema.CallToolRequest("list_crm_credentials", Map.of())));
            JsonNode alicesList = structured(alice.callTool(new McpSchema.CallToolRequest("list_crm_credentials",
                    Map.of("connector", "fub-standin"))));

            assertThat(asBob.isError()).isTrue();
            assertThat(structured(asBob).path("status").asInt()).isEqualTo(404);
            assertThat(structured(asBob).path("type").asString()).endsWith("/credential-not-found");
            assertThat(asAlice.isError()).as(text(asAlice)).isNotEqualTo(Boolean.TRUE);
            assertThat(bobsList.path("items")).isEmpty();
            assertThat(alicesList.path("items")).extracting(i -> i.path("id").asString()).containsExactly(alices);
        }
        provider.verify(1, getRequestedFor(urlPathEqualTo("/v1/people/123")));
    }

    @Test
    void malformedMessagesAreJsonRpcErrorsWithoutTheServersInsides() {
        for (String body : List.of("{not json", "{}", "[]", "\"x\"",
                "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"tools/call\", \"params\": \"x\"}")) {
            var raw = send(HttpRequest.newBuilder(mcp()).header("Authorization", "Bearer " + jwt())
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());

            String text = new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).as(body).doesNotContain("stackTrace", "Exception", "io.modelcontextprotocol");
            JsonNode answer = JSON.readTree(text);
            assertThat(answer.path("jsonrpc").asString()).as(body).isEqualTo("2.0");
            assertThat(answer.path("error").path("code").asInt()).as(body).isBetween(-32700, -32600);
            assertThat(answer.path("error").path("message").asString()).as(body).isNotBlank();
        }
    }

    @Test
    void withoutATokenTheAnswerIs401() {
        var raw = send(HttpRequest.newBuilder(mcp()).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build());

        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThatThrownBy(() -> client("not-a-jwt").close()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aBrowserPageOfAnotherOriginIsRefused() {
        String own = McpConfiguration.origin(context.getEnvironment().getRequiredProperty("plugboard.public-url"));

        var foreign = initializeFrom("http://rebound.example");
        var ownOrigin = initializeFrom(own);

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(problemType(foreign)).isEqualTo("forbidden");
        assertThat(json(foreign).path("detail").asString()).contains("PLUGBOARD_MCP_ALLOWED_ORIGINS");
        assertThat(ownOrigin.statusCode()).as(text(ownOrigin)).isEqualTo(200);
        assertThat(json(ownOrigin).path("result").path("serverInfo").path("name").asString()).isEqualTo("plugboard");
    }

    @Test
    void getIsNotAllowedOnTheStatelessServer() {
        var response = send(HttpRequest.newBuilder(mcp()).header("Authorization", "Bearer " + jwt())
                .header("Accept", "text/event-stream").GET().build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(problemType(response)).isEqualTo("method-not-allowed");
    }

    // ------------------------------------------------------------------ helpers

    private McpSyncClient client(String token) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint(McpConfiguration.PATH)
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + token))
                .build();
        var client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .clientInfo(new McpSchema.Implementation("plugboard-tests", "1")).build();
        try {
            client.initialize();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    private HttpResponse<byte[]> initializeFrom(String origin) {
        return send(HttpRequest.newBuilder(mcp()).header("Authorization", "Bearer " + jwt())
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build());
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + port + McpConfiguration.PATH);
    }

    private static JsonNode structured(McpSchema.CallToolResult result) {
        return JSON.valueToTree(result.structuredContent());
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    private static JsonNode find(JsonNode items, String id) {
        for (JsonNode item : items) {
            if (item.path("id").asString().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no item " + id + " in " + items);
    }

    private static ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The documented answer in a stub file (its {@code _source} names the documentation pages it comes from). */
    private static String stub(String file) {
        try (InputStream in = McpServerIT.class.getResourceAsStream("/universal/followupboss/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
