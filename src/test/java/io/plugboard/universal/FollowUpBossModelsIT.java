package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Notes, tasks and users through the Universal CRM API on Follow Up Boss, its API stood in for by WireMock
 * answering what the documentation shows (each stub file under {@code universal/followupboss/} names its pages):
 * three-page lists (notes by the {@code next} token, tasks by offset), create round-trips with the exact bodies
 * Follow Up Boss receives, completing a task, users, the error mappings, and who may use the credential.
 */
@PlugboardTest
class FollowUpBossModelsIT extends UniversalCrmTestSupport {

    private String appKey;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = connector(FollowUpBossPeopleIT.standIn(provider.baseUrl()));
        credentialId = apiKeyCredential(appKey, Map.of("apiKey", "fub-api-key"));
    }

    // ------------------------------------------------------------------ notes

    @Test
    void listsAPersonsNotesOverThreePagesByTheNextToken() {
        stubNotes(null, 1);
        stubNotes("eyJzaW5jZUlkIjoxMTA0fQ", 2);
        stubNotes("eyJzaW5jZUlkIjoxMTAyfQ", 3);

        JsonNode first = json(universal("GET", CRM + "/notes?personId=123&limit=2", null));
        JsonNode note = first.path("items").get(0);
        assertThat(note.path("id").asString()).isEqualTo("1105");
        assertThat(note.path("personId").asString()).isEqualTo("123");
        assertThat(note.path("body").asString()).isEqualTo("Called, wants a viewing on Saturday.");
        assertThat(note.path("createdByUserId").asString()).isEqualTo("7");
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-03-08T15:04:05Z");
        assertThat(note.path("originalIds").path("id").asString()).isEqualTo("1105");
        JsonNode second = json(universal("GET", CRM + "/notes?personId=123&cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/notes?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("1103", "1102");
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("1101");
        assertThat(third.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void createsANoteWithTheBodyFollowUpBossDocuments() {
        provider.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("note.json"))));

        var response = universal("POST", CRM + "/notes?include=original", """
                {"personId": "123", "body": "Called, wants a viewing on Saturday."}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        JsonNode note = json(response);
        assertThat(note.path("id").asString()).isEqualTo("1106");
        assertThat(note.path("original").path("isHtml").asBoolean(true)).isFalse();
        // personId is a number on the notes page; the note is plain text, so isHtml is left to its default.
        provider.verify(postRequestedFor(urlPathEqualTo("/v1/notes")).withRequestBody(equalToJson("""
                {"personId": 123, "body": "Called, wants a viewing on Saturday."}""")));
    }

    @Test
    void aNoteFollowUpBossRefusesIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo("/v1/notes")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400-note.json"))));

        var response = universal("POST", CRM + "/notes", "{\"personId\": \"999\", \"body\": \"Hello\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).isEqualTo("Invalid personId: person 999 does not exist");
    }

    // ------------------------------------------------------------------ tasks

    @Test
    void listsAPersonsTasksOverThreePagesByOffset() {
        for (int page = 1; page <= 3; page++) {
            var request = get(urlPathEqualTo("/v1/tasks")).withQueryParam("personId", equalTo("123"))
                    .withQueryParam("limit", equalTo("2"))
                    .withQueryParam("offset", page == 1 ? absent() : equalTo(String.valueOf((page - 1) * 2)));
            provider.stubFor(request.willReturn(okJson(stub("tasks-page-" + page + ".json"))));
        }

        JsonNode first = json(universal("GET", CRM + "/tasks?personId=123&limit=2", null));
        JsonNode task = first.path("items").get(0);
        assertThat(task.path("id").asString()).isEqualTo("310");
        assertThat(task.path("title").asString()).isEqualTo("Call about the viewing");
        assertThat(task.path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
        assertThat(task.path("completed").asBoolean()).isFalse();
        assertThat(task.path("assignedUserId").asString()).isEqualTo("7");
        assertThat(first.path("items").get(1).path("completed").asBoolean()).isTrue();
        JsonNode second = json(universal("GET", CRM + "/tasks?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/tasks?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(t -> t.path("id").asString()).containsExactly("312", "313");
        assertThat(third.path("items")).extracting(t -> t.path("id").asString()).containsExactly("314");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        // A cursor pages through the model it came from only.
        var misused = universal("GET", CRM + "/notes?cursor=" + first.path("nextCursor").asString(), null);
        assertThat(misused.statusCode()).isEqualTo(400);
        assertThat(problemType(misused)).isEqualTo("invalid-cursor");
    }

    @Test
    void tasksGoOnWithTheNextTokenOnceAnAnswerHoldsOne() {
        // Deep into a result set Follow Up Boss enforces next rather than a high offset: page 2 answers one.
        String next = "eyJzaW5jZUlkIjozMTN9";
        ObjectNode second = (ObjectNode) JSON.readTree(stub("tasks-page-2.json"));
        ((ObjectNode) second.path("_metadata")).put("next", next)
                .put("nextLink", "https://api.followupboss.com/v1/tasks?limit=2&personId=123&next=" + next);
        var tasks = get(urlPathEqualTo("/v1/tasks")).withQueryParam("personId", equalTo("123"))
                .withQueryParam("limit", equalTo("2"));
        provider.stubFor(tasks.withQueryParam("offset", absent()).withQueryParam("next", absent())
                .willReturn(okJson(stub("tasks-page-1.json"))));
        provider.stubFor(get(urlPathEqualTo("/v1/tasks")).withQueryParam("offset", equalTo("2"))
                .willReturn(okJson(second.toString())));
        provider.stubFor(get(urlPathEqualTo("/v1/tasks")).withQueryParam("personId", equalTo("123"))
                .withQueryParam("limit", equalTo("2")).withQueryParam("offset", absent())
                .withQueryParam("next", equalTo(next)).willReturn(okJson(stub("tasks-page-3.json"))));

        JsonNode first = json(universal("GET", CRM + "/tasks?personId=123&limit=2", null));
        JsonNode page2 = json(universal("GET", CRM + "/tasks?cursor=" + first.path("nextCursor").asString(), null));
        var last = universal("GET", CRM + "/tasks?cursor=" + page2.path("nextCursor").asString(), null);

        assertThat(last.statusCode()).as(text(last)).isEqualTo(200);
        assertThat(json(last).path("items")).extracting(t -> t.path("id").asString()).containsExactly("314");
        provider.verify(0, getRequestedFor(urlPathEqualTo("/v1/tasks")).withQueryParam("offset", equalTo("4")));
    }

    @Test
    void createsATaskWithTheBodyFollowUpBossDocuments() {
        provider.stubFor(post(urlPathEqualTo("/v1/tasks")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("task.json"))));

        var response = universal("POST", CRM + "/tasks", """
                {"personId": "123", "title": "Call about the viewing", "dueAt": "2026-03-05T12:00:00-05:00",
                 "assignedUserId": "7"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(CRM + "/tasks/310");
        assertThat(json(response).path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
        provider.verify(postRequestedFor(urlPathEqualTo("/v1/tasks")).withRequestBody(equalToJson("""
                {"personId": 123, "name": "Call about the viewing", "dueDateTime": "2026-03-05T17:00:00Z",
                 "assignedUserId": 7}""")));
    }

    @Test
    void completingATaskSendsIsCompletedWithPut() {
        provider.stubFor(put(urlPathEqualTo("/v1/tasks/310")).willReturn(okJson(stub("task-completed.json"))));

        var response = universal("PATCH", CRM + "/tasks/310", "{\"completed\": true}");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("completed").asBoolean()).isTrue();
        provider.verify(putRequestedFor(urlPathEqualTo("/v1/tasks/310"))
                .withRequestBody(equalToJson("{\"isCompleted\": true}")));
    }

    @Test
    void aMissingTaskIsNotFoundAndARateLimitIs429() {
        provider.stubFor(put(urlPathEqualTo("/v1/tasks/404")).willReturn(aResponse().withStatus(404)));
        provider.stubFor(get(urlPathEqualTo("/v1/tasks")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1")));

        var missing = universal("PATCH", CRM + "/tasks/404", "{\"completed\": true}");
        var limited = universal("GET", CRM + "/tasks?personId=5", null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(problemType(missing)).isEqualTo("not-found");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    }

    // ------------------------------------------------------------------ users

    @Test
    void listsTheAccountsUsers() {
        provider.stubFor(get(urlPathEqualTo("/v1/users")).withQueryParam("limit", equalTo("25"))
                .willReturn(okJson(stub("users.json"))));

        JsonNode page = json(universal("GET", CRM + "/users", null));

        assertThat(page.path("items")).extracting(u -> u.path("name").asString()).containsExactly("Owen Broker", "Jane Agent");
        JsonNode jane = page.path("items").get(1);
        assertThat(jane.path("id").asString()).isEqualTo("7");
        assertThat(jane.path("firstName").asString()).isEqualTo("Jane");
        assertThat(jane.path("email").asString()).isEqualTo("jane@example.com");
        assertThat(jane.path("role").asString()).isEqualTo("Agent");
        assertThat(page.path("nextCursor").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ who may, and bad input

    @Test
    void anotherTenantAndAnotherEndUserCannotUseTheCredential() {
        provider.stubFor(get(urlPathEqualTo("/v1/users")).willReturn(okJson(stub("users.json"))));
        String alices = credential(tenant, appKey, "alice", Map.of("apiKey", "alice-key"), null);
        var other = TestTenants.create(context, "univmodels");

        var otherTenant = universal(jwt(other, "tenant"), credentialId, "GET", CRM + "/users", null);
        var asBob = universal(jwt(tenant, "bob"), alices, "POST", CRM + "/notes", "{\"personId\": \"1\", \"body\": \"x\"}");
        var bobsTasks = universal(jwt(tenant, "bob"), alices, "GET", CRM + "/tasks", null);
        var asAlice = universal(jwt(tenant, "alice"), alices, "GET", CRM + "/users", null);

        assertThat(otherTenant.statusCode()).isEqualTo(404);
        assertThat(asBob.statusCode()).isEqualTo(404);
        assertThat(bobsTasks.statusCode()).isEqualTo(404);
        assertThat(asAlice.statusCode()).isEqualTo(200);
        provider.verify(1, getRequestedFor(urlPathEqualTo("/v1/users")));
        provider.verify(0, postRequestedFor(urlPathEqualTo("/v1/notes")));
    }

    @Test
    void badInputIsABadRequestProblem() {
        for (var request : new String[][] {
                {"POST", "/notes", "{}"}, {"POST", "/notes", "{\"personId\": \"123\"}"},
                {"POST", "/notes", "{\"personId\": \"123\", \"body\": \"a\\u0000b\"}"},
                {"POST", "/notes", "{\"personId\": \"not-a-number\", \"body\": \"x\"}"},
                {"POST", "/tasks", "{\"personId\": \"123\"}"},
                {"POST", "/tasks", "{\"personId\": \"123\", \"title\": \"T\", \"dueAt\": \"tomorrow\"}"},
                {"PATCH", "/tasks/310", "{}"}, {"PATCH", "/tasks/310", "{\"completed\": \"maybe\"}"},
                {"GET", "/notes?limit=0", null}, {"GET", "/tasks?include=everything", null},
                {"GET", "/users?cursor=forged", null}}) {
            var response = universal(request[0], CRM + request[1], request[2]);
            assertThat(response.statusCode()).as(String.join(" ", request)).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(String.join(" ", request))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        }
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @Test
    void theOpenApiDocumentDescribesEveryModelWithAnExample() {
        JsonNode document = json(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                .timeout(Duration.ofSeconds(120)).GET().build()));
        JsonNode paths = document.path("paths");

        assertThat(paths.path(CRM + "/notes").has("get")).isTrue();
        assertThat(paths.path(CRM + "/notes").has("post")).isTrue();
        assertThat(paths.path(CRM + "/tasks").has("get")).isTrue();
        assertThat(paths.path(CRM + "/tasks").has("post")).isTrue();
        assertThat(paths.path(CRM + "/tasks/{id}").has("patch")).isTrue();
        assertThat(paths.path(CRM + "/users").has("get")).isTrue();
        JsonNode schemas = document.path("components").path("schemas");
        for (String model : new String[] {"Person", "Note", "Task", "User", "NoteInput", "TaskInput"}) {
            assertThat(schemas.path(model).path("example").isMissingNode()).as(model + " example").isFalse();
        }
    }

    // ------------------------------------------------------------------ helpers

    private void stubNotes(@Nullable String next, int page) {
        var request = get(urlPathEqualTo("/v1/notes")).withQueryParam("personId", equalTo("123"))
                .withQueryParam("limit", equalTo("2")).withQueryParam("next", next == null ? absent() : equalTo(next));
        provider.stubFor(request.willReturn(okJson(stub("notes-page-" + page + ".json"))));
    }

    private static String stub(String file) {
        return stub("followupboss", file);
    }
}
