package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Notes, tasks and users through the Universal CRM API on Pipedrive, stood in for by WireMock answering what the
 * documentation shows (each stub file under {@code universal/pipedrive/} names its pages): notes on API v1 paged by
 * {@code start} from {@code next_start}, with times that carry no offset; tasks as API v2 activities paged by
 * {@code cursor}, the person written as the primary participant and the due day and time held apart; all users in
 * one answer; and the error mappings.
 */
@PlugboardTest
class PipedriveModelsIT extends UniversalCrmTestSupport {

    private static final String NOTES = "/api/v1/notes";
    private static final String ACTIVITIES = "/api/v2/activities";
    private static final String USERS = "/api/v1/users";

    @BeforeAll
    void connectPipedrive() {
        // The built-in connector's base (…/api) and bearer auth, at WireMock; PlugboardTest's
        // plugboard.universal.connector-mappings maps pipedrive-standin to the pipedrive mapping.
        String appKey = oauthConnector(tenant, "pipedrive-standin", null, provider.baseUrl() + "/api");
        credentialId = oauthCredential(appKey, "pipedrive-access", "pipedrive-refresh",
                Instant.now().plus(1, ChronoUnit.HOURS));
    }

    // ------------------------------------------------------------------ notes

    @Test
    void listsAPersonsNotesOverThreePagesByNextStart() {
        for (int page = 1; page <= 3; page++) {
            var request = get(urlPathEqualTo(NOTES)).withQueryParam("person_id", equalTo("123"))
                    .withQueryParam("sort", equalTo("id ASC")).withQueryParam("limit", equalTo("2"))
                    .withQueryParam("start", page == 1 ? absent() : equalTo(String.valueOf((page - 1) * 2)));
            provider.stubFor(request.willReturn(okJson(stub("notes-page-" + page + ".json"))));
        }

        JsonNode first = json(universal("GET", CRM + "/notes?personId=123&limit=2", null));
        JsonNode note = first.path("items").get(0);
        assertThat(note.path("id").asString()).isEqualTo("1105");
        assertThat(note.path("personId").asString()).isEqualTo("123");
        assertThat(note.path("body").asString()).isEqualTo("Called, wants a viewing on Saturday.");
        assertThat(note.path("createdByUserId").asString()).isEqualTo("7");
        // Pipedrive writes "2026-03-08 15:04:05", in UTC without saying so.
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-03-08T15:04:05Z");
        assertThat(note.path("updatedAt").asString()).isEqualTo("2026-03-08T15:10:00Z");
        assertThat(first.path("items").get(1).path("body").asString()).isEqualTo("<p>Sent the brochure.</p>");
        JsonNode second = json(universal("GET", CRM + "/notes?personId=123&cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/notes?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("1107", "1108");
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("1109");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        provider.verify(3, getRequestedFor(urlPathEqualTo(NOTES))
                .withHeader("Authorization", equalTo("Bearer pipedrive-access")));
    }

    @Test
    void createsANoteWithTheBodyPipedriveDocuments() {
        provider.stubFor(post(urlPathEqualTo(NOTES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("note.json"))));

        var response = universal("POST", CRM + "/notes?include=original", """
                {"personId": "123", "body": "Called, wants a viewing on Saturday."}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        JsonNode note = json(response);
        assertThat(note.path("id").asString()).isEqualTo("1110");
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-03-21T10:00:00Z");
        assertThat(note.path("original").path("active_flag").asBoolean()).isTrue();
        // content and a numeric person_id, as the notes page documents the request.
        provider.verify(postRequestedFor(urlPathEqualTo(NOTES)).withRequestBody(equalToJson("""
                {"content": "Called, wants a viewing on Saturday.", "person_id": 123}""")));
    }

    @Test
    void aRateLimitOnNotesOutlastingTheRetriesIs429WithRetryAfter() {
        provider.stubFor(get(urlPathEqualTo(NOTES)).withQueryParam("person_id", equalTo("429"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json").withBody(stub("error-429.json"))));

        var response = universal("GET", CRM + "/notes?personId=429", null);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(problemType(response)).isEqualTo("rate-limited");
        assertThat(json(response).path("detail").asString()).contains("Request over limit");
    }

    // ------------------------------------------------------------------ tasks

    @Test
    void listsAPersonsActivitiesAsTasksOverThreePagesByTheCursor() {
        stubActivities(null, 1);
        stubActivities("eyJmaWVsZCI6ImlkIiwiaWQiOjMxMn0", 2);
        stubActivities("eyJmaWVsZCI6ImlkIiwiaWQiOjMxNH0", 3);

        JsonNode first = json(universal("GET", CRM + "/tasks?personId=123&limit=2", null));
        JsonNode task = first.path("items").get(0);
        assertThat(task.path("id").asString()).isEqualTo("310");
        assertThat(task.path("personId").asString()).isEqualTo("123");
        assertThat(task.path("title").asString()).isEqualTo("Call about the viewing");
        assertThat(task.path("description").asString()).isEqualTo("Ask about Saturday.");
        // due_date and due_time (UTC) are held apart; together they are the moment.
        assertThat(task.path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
        assertThat(task.path("completed").asBoolean()).isFalse();
        assertThat(task.path("completedAt").isNull()).isTrue();
        assertThat(task.path("assignedUserId").asString()).isEqualTo("7");
        assertThat(task.path("createdAt").asString()).isEqualTo("2026-03-01T09:00:00Z");
        JsonNode done = first.path("items").get(1);
        assertThat(done.path("dueAt").asString()).as("a day without a time is its midnight").isEqualTo("2026-03-06T00:00:00Z");
        assertThat(done.path("completed").asBoolean()).isTrue();
        assertThat(done.path("completedAt").asString()).isEqualTo("2026-03-06T08:12:00Z");
        JsonNode second = json(universal("GET", CRM + "/tasks?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/tasks?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(t -> t.path("id").asString()).containsExactly("312", "313");
        assertThat(third.path("items")).extracting(t -> t.path("id").asString()).containsExactly("314");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        var misused = universal("GET", CRM + "/notes?cursor=" + first.path("nextCursor").asString(), null);
        assertThat(misused.statusCode()).isEqualTo(400);
        assertThat(problemType(misused)).isEqualTo("invalid-cursor");
    }

    @Test
    void createsATaskAsAnActivityWithThePersonAsItsPrimaryParticipant() {
        provider.stubFor(post(urlPathEqualTo(ACTIVITIES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("activity.json"))));

        var response = universal("POST", CRM + "/tasks", """
                {"personId": "123", "title": "Call about the viewing", "description": "Ask about Saturday.",
                 "dueAt": "2026-03-05T12:00:00-05:00", "assignedUserId": "7"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(CRM + "/tasks/315");
        assertThat(json(response).path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
        // v2 refuses person_id on writes; the due moment goes as its UTC day and HH:MM.
        provider.verify(postRequestedFor(urlPathEqualTo(ACTIVITIES)).withRequestBody(equalToJson("""
                {"subject": "Call about the viewing", "note": "Ask about Saturday.",
                 "due_date": "2026-03-05", "due_time": "17:00", "owner_id": 7,
                 "participants": [{"person_id": 123, "primary": true}]}""")));
    }

    @Test
    void completingATaskPatchesDone() {
        provider.stubFor(patch(urlPathEqualTo(ACTIVITIES + "/310")).willReturn(okJson(stub("activity-done.json"))));

        var response = universal("PATCH", CRM + "/tasks/310", "{\"completed\": true}");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode task = json(response);
        assertThat(task.path("completed").asBoolean()).isTrue();
        assertThat(task.path("completedAt").asString()).isEqualTo("2026-03-05T17:25:00Z");
        provider.verify(patchRequestedFor(urlPathEqualTo(ACTIVITIES + "/310"))
                .withRequestBody(equalToJson("{\"done\": true}")));
    }

    @Test
    void anActivityPipedriveRefusesIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo(ACTIVITIES)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400-activity.json"))));

        var response = universal("POST", CRM + "/tasks", "{\"personId\": \"123\", \"title\": \"Call\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString())
                .isEqualTo("'person_id' is a read-only field. Add a primary participant to set 'person_id' instead.");
    }

    @Test
    void aMissingActivityIsNotFound() {
        provider.stubFor(patch(urlPathEqualTo(ACTIVITIES + "/404")).willReturn(aResponse().withStatus(404)));

        var missing = universal("PATCH", CRM + "/tasks/404", "{\"completed\": true}");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(problemType(missing)).isEqualTo("not-found");
    }

    // ------------------------------------------------------------------ users

    @Test
    void listsEveryUserFromOneAnswer() {
        provider.stubFor(get(urlPathEqualTo(USERS)).willReturn(okJson(stub("users.json"))));

        JsonNode page = json(universal("GET", CRM + "/users?limit=1", null));

        // Pipedrive answers every user at once; the page asked for is cut from that answer.
        assertThat(page.path("items")).extracting(u -> u.path("name").asString()).containsExactly("Jane Agent");
        JsonNode jane = page.path("items").get(0);
        assertThat(jane.path("id").asString()).isEqualTo("7");
        assertThat(jane.path("email").asString()).isEqualTo("jane@example.com");
        assertThat(jane.path("active").asBoolean()).isTrue();
        assertThat(jane.path("role").isNull()).isTrue();
        JsonNode next = json(universal("GET", CRM + "/users?cursor=" + page.path("nextCursor").asString(), null));
        assertThat(next.path("items")).extracting(u -> u.path("name").asString()).containsExactly("Owen Seller");
        assertThat(next.path("items").get(0).path("active").asBoolean(true)).isFalse();
        assertThat(next.path("nextCursor").isNull()).isTrue();
        assertThat(json(universal("GET", CRM + "/users", null)).path("items")).hasSize(2);
        // GET /v1/users takes no paging parameters: none are sent.
        provider.verify(3, getRequestedFor(urlPathEqualTo(USERS)).withQueryParam("limit", absent())
                .withQueryParam("start", absent()));
    }

    // ------------------------------------------------------------------ helpers

    private void stubActivities(@Nullable String cursor, int page) {
        var request = get(urlPathEqualTo(ACTIVITIES)).withQueryParam("person_id", equalTo("123"))
                .withQueryParam("sort_by", equalTo("id")).withQueryParam("sort_direction", equalTo("asc"))
                .withQueryParam("limit", equalTo("2")).withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor));
        provider.stubFor(request.willReturn(okJson(stub("activities-page-" + page + ".json"))));
    }

    private static String stub(String file) {
        return stub("pipedrive", file);
    }

}
