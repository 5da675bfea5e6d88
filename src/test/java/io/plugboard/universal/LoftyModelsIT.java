package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Notes, tasks and users through the Universal CRM API on Lofty, its API stood in for by WireMock answering what
 * the documentation shows (each stub file under {@code universal/lofty/} names its pages): a lead's notes and
 * tasks, which Lofty lists whole and only per lead, notes and V2 tasks created with the bodies Lofty documents and
 * read back, a task completed with V1's update, the team's members over three pages, the error mappings, and who
 * may use the credential.
 */
@PlugboardTest
class LoftyModelsIT extends UniversalCrmTestSupport {

    private static final String LEAD = "100001";
    private static final String NEW_TASK = "563172647619610";

    private String appKey;

    @BeforeAll
    void connectLofty() {
        appKey = connector(LoftyPeopleIT.standIn(provider.baseUrl()));
        credentialId = apiKeyCredential(appKey, Map.of("apiKey", "lofty-api-key"));
    }

    // ------------------------------------------------------------------ notes

    @Test
    void listsALeadsNotesWholeAndPagesThemHere() {
        provider.stubFor(get(urlPathEqualTo("/v1.0/notes")).withQueryParam("leadId", equalTo(LEAD))
                .withQueryParam("limit", absent()).withQueryParam("offset", absent())
                .willReturn(okJson(stub("notes.json"))));

        var response = universal("GET", CRM + "/notes?personId=" + LEAD + "&limit=1", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode page = json(response);
        // The note's own id is its noteId (what GET /v1.0/notes/{noteId} takes), not its timeline entry's id.
        assertThat(page.path("items")).extracting(n -> n.path("id").asString()).containsExactly("400000012345");
        JsonNode note = page.path("items").get(0);
        assertThat(note.path("personId").asString()).isEqualTo(LEAD);
        assertThat(note.path("body").asString()).isEqualTo("Discussed Austin inventory, will send pre-approval doc tomorrow.");
        assertThat(note.path("createdByUserId").asString()).isEqualTo("100234");
        assertThat(note.path("originalIds").path("noteId").asString()).isEqualTo("400000012345");
        // Lofty writes its times without an offset, in UTC.
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-04-22T10:15:30Z");
        assertThat(note.path("updatedAt").asString()).isEqualTo("2026-04-22T10:20:00Z");
        // Lofty answered both notes; the second page is cut from its whole answer, asked for again.
        JsonNode second = json(universal("GET", CRM + "/notes?cursor=" + page.path("nextCursor").asString(), null));
        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("400000012346");
        assertThat(second.path("items").get(0).path("body").asString()).isEqualTo("Sent the pre-approval doc.\nWaiting for the lender.");
        assertThat(second.path("nextCursor").isNull()).isTrue();
        provider.verify(2, getRequestedFor(urlPathEqualTo("/v1.0/notes")));
    }

    @Test
    void notesAndTasksAreListedOnlyForALead() {
        var notes = universal("GET", CRM + "/notes", null);
        var tasks = universal("GET", CRM + "/tasks?limit=10", null);

        for (var response : List.of(notes, tasks)) {
            assertThat(response.statusCode()).as(text(response)).isEqualTo(400);
            assertThat(problemType(response)).isEqualTo("invalid-request");
            assertThat(json(response).path("detail").asString()).contains("Lofty").contains("personId");
        }
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @Test
    void createsANoteWithTheBodyLoftyDocumentsThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo("/v1.0/notes")).willReturn(okJson(stub("note-created.json"))));
        provider.stubFor(get(urlPathEqualTo("/v1.0/notes/400000012347")).willReturn(okJson(stub("note.json"))));

        var response = universal("POST", CRM + "/notes?include=original", """
                {"personId": "100001", "body": "Called, wants a viewing on Saturday."}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        JsonNode note = json(response);
        assertThat(note.path("id").asString()).isEqualTo("400000012347");
        assertThat(note.path("personId").asString()).isEqualTo(LEAD);
        assertThat(note.path("body").asString()).isEqualTo("Called, wants a viewing on Saturday.");
        assertThat(note.path("original").path("creatorName").asString()).isEqualTo("Alice Johnson");
        // leadId is a number; isPin, required, is false for a note written here.
        provider.verify(postRequestedFor(urlPathEqualTo("/v1.0/notes")).withRequestBody(equalToJson("""
                {"leadId": 100001, "content": "Called, wants a viewing on Saturday.", "isPin": false}""")));
    }

    @Test
    void aNoteLoftyRefusesIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo("/v1.0/notes")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400.json"))));

        var response = universal("POST", CRM + "/notes", "{\"personId\": \"999\", \"body\": \"Hello\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).isEqualTo("A required parameter was not provided.");
    }

    // ------------------------------------------------------------------ tasks

    @Test
    void listsALeadsTasksWholeFromV2() {
        provider.stubFor(get(urlPathEqualTo("/v2.0/tasks")).withQueryParam("leadId", equalTo(LEAD))
                .willReturn(okJson(stub("tasks.json"))));

        JsonNode page = json(universal("GET", CRM + "/tasks?personId=" + LEAD, null));

        JsonNode open = page.path("items").get(0);
        assertThat(open.path("id").asString()).isEqualTo("563172647619608");
        assertThat(open.path("personId").asString()).isEqualTo(LEAD);
        assertThat(open.path("title").asString()).isEqualTo("Send an email to my lead");
        // The deadline is endAt, written with its offset.
        assertThat(open.path("dueAt").asString()).isEqualTo("2026-03-02T00:00:00Z");
        assertThat(open.path("completed").asBoolean(true)).isFalse();
        assertThat(open.path("assignedUserId").asString()).isEqualTo("100234");
        assertThat(open.path("completedAt").isNull()).isTrue();
        assertThat(open.path("createdAt").asString()).isEqualTo("2026-02-28T09:00:00Z");
        JsonNode done = page.path("items").get(1);
        assertThat(done.path("completed").asBoolean()).isTrue();
        assertThat(done.path("completedAt").asString()).isEqualTo("2026-02-20T09:45:00Z");
        assertThat(done.path("assignedUserId").asString()).isEqualTo("100235");
        assertThat(page.path("items")).hasSize(2);
        assertThat(page.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void createsATaskWithTheBodyLoftyDocumentsThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo("/v2.0/tasks")).willReturn(okJson(stub("task-created.json"))));
        provider.stubFor(get(urlPathEqualTo("/v2.0/tasks/" + NEW_TASK)).willReturn(okJson(stub("task.json"))));

        var response = universal("POST", CRM + "/tasks", """
                {"personId": "100001", "title": "Call about the viewing", "dueAt": "2026-03-05T12:00:00-05:00",
                 "assignedUserId": "100234"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(CRM + "/tasks/" + NEW_TASK);
        JsonNode task = json(response);
        assertThat(task.path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
        assertThat(task.path("assignedUserId").asString()).isEqualTo("100234");
        // A plain task for the lead's agent, due (and starting) at the instant asked, in UTC; Lofty takes a role,
        // not a user, so assignedUserId is not sent.
        provider.verify(postRequestedFor(urlPathEqualTo("/v2.0/tasks")).withRequestBody(equalToJson("""
                {"type": "Other", "content": "Call about the viewing", "leadId": 100001, "assignedRole": "Agent",
                 "startAt": "2026-03-05T17:00:00Z", "endAt": "2026-03-05T17:00:00Z"}""")));
    }

    @Test
    void completingATaskPutsFinishFlagWithV1ThenReadsItBack() {
        provider.stubFor(put(urlPathEqualTo("/v1.0/tasks/" + NEW_TASK)).willReturn(aResponse().withStatus(200)));
        provider.stubFor(get(urlPathEqualTo("/v2.0/tasks/" + NEW_TASK)).willReturn(okJson(stub("task-finished.json"))));

        var response = universal("PATCH", CRM + "/tasks/" + NEW_TASK, "{\"completed\": true}");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("completed").asBoolean()).isTrue();
        provider.verify(putRequestedFor(urlPathEqualTo("/v1.0/tasks/" + NEW_TASK))
                .withRequestBody(equalToJson("{\"finishFlag\": true}")));
    }

    @Test
    void changingATasksTextAndDueTimePutsThemAsV1TakesThem() {
        provider.stubFor(put(urlPathEqualTo("/v1.0/tasks/" + NEW_TASK)).willReturn(aResponse().withStatus(200)));
        provider.stubFor(get(urlPathEqualTo("/v2.0/tasks/" + NEW_TASK)).willReturn(okJson(stub("task.json"))));

        var response = universal("PATCH", CRM + "/tasks/" + NEW_TASK, """
                {"title": "Call about the viewing", "dueAt": "2026-03-05T12:00:00-05:00"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        // V1's deadline is milliseconds since the epoch (1772730000000 is 2026-03-05T17:00:00Z).
        provider.verify(putRequestedFor(urlPathEqualTo("/v1.0/tasks/" + NEW_TASK)).withRequestBody(equalToJson("""
                {"content": "Call about the viewing", "deadline": 1772730000000}""")));
    }

    @Test
    void aMissingTaskIsNotFoundAndARateLimitIs429() {
        provider.stubFor(put(urlPathEqualTo("/v1.0/tasks/404")).willReturn(aResponse().withStatus(404)));
        provider.stubFor(get(urlPathEqualTo("/v2.0/tasks")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-RateLimit-Limit", "100").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", String.valueOf(Instant.now().getEpochSecond()))
                .withBody(stub("error-429.json"))));

        var missing = universal("PATCH", CRM + "/tasks/404", "{\"completed\": true}");
        var limited = universal("GET", CRM + "/tasks?personId=5", null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(problemType(missing)).isEqualTo("not-found");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(problemType(limited)).isEqualTo("rate-limited");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(limited).path("detail").asString()).contains("Too Many Requests");
    }

    // ------------------------------------------------------------------ users

    @Test
    void listsTheTeamsMembersOverThreePagesByOffset() {
        for (int page = 1; page <= 3; page++) {
            var request = get(urlPathEqualTo("/v1.0/members")).withQueryParam("limit", equalTo("2"))
                    .withQueryParam("offset", page == 1 ? absent() : equalTo(String.valueOf((page - 1) * 2)));
            provider.stubFor(request.willReturn(okJson(stub("members-page-" + page + ".json"))));
        }

        JsonNode first = json(universal("GET", CRM + "/users?limit=2", null));
        JsonNode alice = first.path("items").get(0);
        assertThat(alice.path("id").asString()).isEqualTo("100234");
        assertThat(alice.path("name").asString()).isEqualTo("Alice Johnson");
        assertThat(alice.path("firstName").asString()).isEqualTo("Alice");
        assertThat(alice.path("email").asString()).isEqualTo("alice@example.com");
        assertThat(alice.path("role").asString()).isEqualTo("Agent");
        // What a member's status codes mean is not documented.
        assertThat(alice.path("active").isNull()).isTrue();
        JsonNode second = json(universal("GET", CRM + "/users?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/users?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(u -> u.path("role").asString()).containsExactly("Admin", "Assistant");
        assertThat(third.path("items")).extracting(u -> u.path("name").asString()).containsExactly("Eve Park");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        provider.verify(3, getRequestedFor(urlPathEqualTo("/v1.0/members"))
                .withHeader("Authorization", equalTo("token lofty-api-key")));
    }

    // ------------------------------------------------------------------ who may, and bad input

    @Test
    void anotherTenantAndAnotherEndUserCannotUseTheCredential() {
        provider.stubFor(get(urlPathEqualTo("/v1.0/members")).willReturn(okJson(stub("members-page-3.json"))));
        String alices = credential(tenant, appKey, "alice", Map.of("apiKey", "alice-key"), null);
        var other = TestTenants.create(context, "univlofty");

        var otherTenant = universal(jwt(other, "tenant"), credentialId, "GET", CRM + "/users", null);
        var asBob = universal(jwt(tenant, "bob"), alices, "POST", CRM + "/notes", "{\"personId\": \"1\", \"body\": \"x\"}");
        var bobsTasks = universal(jwt(tenant, "bob"), alices, "GET", CRM + "/tasks?personId=1", null);
        var asAlice = universal(jwt(tenant, "alice"), alices, "GET", CRM + "/users", null);

        assertThat(otherTenant.statusCode()).isEqualTo(404);
        assertThat(asBob.statusCode()).isEqualTo(404);
        assertThat(bobsTasks.statusCode()).isEqualTo(404);
        assertThat(asAlice.statusCode()).isEqualTo(200);
        provider.verify(1, getRequestedFor(anyUrl()));
        provider.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void badInputIsABadRequestProblem() {
        for (var request : new String[][] {
                {"POST", "/notes", "{}"}, {"POST", "/notes", "{\"personId\": \"100001\"}"},
                {"POST", "/notes", "{\"personId\": \"not-a-number\", \"body\": \"x\"}"},
                {"POST", "/tasks", "{\"personId\": \"100001\"}"},
                {"POST", "/tasks", "{\"personId\": \"lead-1\", \"title\": \"T\"}"},
                {"POST", "/tasks", "{\"personId\": \"100001\", \"title\": \"T\", \"dueAt\": \"tomorrow\"}"},
                {"PATCH", "/tasks/1", "{}"}, {"PATCH", "/tasks/1", "{\"completed\": \"maybe\"}"},
                {"GET", "/notes?personId=100001&limit=0", null}, {"GET", "/users?cursor=forged", null}}) {
            var response = universal(request[0], CRM + request[1], request[2]);
            assertThat(response.statusCode()).as(String.join(" ", request)).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(String.join(" ", request))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        }
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static String stub(String file) {
        return stub("lofty", file);
    }

}
