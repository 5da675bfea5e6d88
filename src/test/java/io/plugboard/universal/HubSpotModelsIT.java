package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Notes, tasks and users (owners) through the Universal CRM API on HubSpot, its CRM v3 API stood in for by
 * WireMock answering what the documentation shows (each stub file under {@code universal/hubspot/} names its
 * pages): the notes list paged by {@code after} with the associated contact read from {@code associations}, a
 * person's notes and tasks from the search endpoints filtered on {@code associations.contact}, creates with the
 * {@code properties} and top-level {@code associations} HubSpot documents (then read back for the association),
 * completing a task with {@code PATCH}, owners, and the error mappings.
 */
@PlugboardTest
class HubSpotModelsIT extends UniversalCrmTestSupport {

    private static final String NOTES = "/crm/v3/objects/notes";
    private static final String TASKS = "/crm/v3/objects/tasks";
    private static final String OWNERS = "/crm/v3/owners";
    private static final String NOTE_PROPERTIES = "hs_note_body,hs_timestamp,hubspot_owner_id";
    private static final String TASK_PROPERTIES = "hs_task_subject,hs_task_body,hs_task_status,hs_timestamp,hubspot_owner_id";

    @BeforeAll
    void connectHubSpot() {
        // The built-in connector's OAuth and bearer auth, at WireMock (PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS maps it).
        String appKey = oauthConnector(tenant, "hubspot-standin", null, provider.baseUrl());
        credentialId = oauthCredential(appKey, "hubspot-access", "hubspot-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
    }

    // ------------------------------------------------------------------ notes

    @Test
    void listsNotesOverThreePagesByTheAfterTokenWithTheirContact() {
        for (int page = 1; page <= 3; page++) {
            String after = page == 1 ? null : page == 2 ? "17030" : "17028";
            provider.stubFor(get(urlPathEqualTo(NOTES)).withQueryParam("limit", equalTo("2"))
                    .withQueryParam("properties", equalTo(NOTE_PROPERTIES))
                    .withQueryParam("associations", equalTo("contacts"))
                    .withQueryParam("archived", equalTo("false"))
                    .withQueryParam("after", after == null ? absent() : equalTo(after))
                    .willReturn(okJson(stub("notes-page-" + page + ".json"))));
        }

        JsonNode first = json(universal("GET", CRM + "/notes?limit=2", null));
        JsonNode note = first.path("items").get(0);
        assertThat(note.path("id").asString()).isEqualTo("17031");
        assertThat(note.path("personId").asString()).isEqualTo("512");
        assertThat(note.path("body").asString()).isEqualTo("Called, wants a viewing on Saturday.");
        assertThat(note.path("createdByUserId").asString()).isEqualTo("910901");
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-03-08T15:04:05Z");
        assertThat(note.path("originalIds").path("id").asString()).isEqualTo("17031");
        JsonNode second = json(universal("GET", CRM + "/notes?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/notes?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("17029", "17028");
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("17027");
        // A note on no contact (imported, say) has no person.
        assertThat(third.path("items").get(0).path("personId").isNull()).isTrue();
        assertThat(third.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void aPersonsNotesComeFromTheSearchFilteredOnTheContactAssociation() {
        provider.stubFor(post(urlPathEqualTo(NOTES + "/search")).willReturn(okJson(stub("notes-search.json"))));

        var response = universal("GET", CRM + "/notes?personId=512", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode page = json(response);
        assertThat(page.path("items")).extracting(n -> n.path("id").asString()).containsExactly("17031", "17030");
        // The search answers no associations: the notes are the person's asked for.
        assertThat(page.path("items")).extracting(n -> n.path("personId").asString()).containsExactly("512", "512");
        assertThat(page.path("nextCursor").isNull()).isTrue();
        provider.verify(postRequestedFor(urlPathEqualTo(NOTES + "/search")).withRequestBody(equalToJson("""
                {"properties": ["hs_note_body", "hs_timestamp", "hubspot_owner_id"],
                 "sorts": [{"propertyName": "hs_timestamp", "direction": "DESCENDING"}],
                 "limit": 25,
                 "filterGroups": [{"filters": [{"propertyName": "associations.contact", "operator": "EQ", "value": "512"}]}]}""")));
    }

    @Test
    void createsANoteWithThePropertiesAndAssociationHubSpotDocumentsThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo(NOTES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("note-created.json"))));
        provider.stubFor(get(urlPathEqualTo(NOTES + "/17032")).withQueryParam("properties", equalTo(NOTE_PROPERTIES))
                .withQueryParam("associations", equalTo("contacts")).willReturn(okJson(stub("note.json"))));
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        var response = universal("POST", CRM + "/notes", """
                {"personId": "512", "body": "Called, wants a viewing on Saturday."}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(json(response).path("personId").asString()).isEqualTo("512");
        // The notes guide: the text and the required hs_timestamp in properties, the contact in associations
        // (note to contact is type 202), its id a number as in the guide's example.
        provider.verify(postRequestedFor(urlPathEqualTo(NOTES)).withRequestBody(equalToJson("""
                {"properties": {"hs_note_body": "Called, wants a viewing on Saturday.",
                                "hs_timestamp": "${json-unit.any-string}"},
                 "associations": [{"to": {"id": 512},
                                   "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]}]}""")));
        var sent = JSON.readTree(provider.findAll(postRequestedFor(urlPathEqualTo(NOTES))).getFirst().getBodyAsString());
        assertThat(Instant.parse(sent.path("properties").path("hs_timestamp").asString()))
                .isBetween(before, Instant.now());
    }

    // ------------------------------------------------------------------ tasks

    @Test
    void listsAPersonsTasksOverThreeSearchPagesWithAfterInTheBody() {
        for (int page = 1; page <= 3; page++) {
            String after = page == 1 ? null : String.valueOf((page - 1) * 2);
            provider.stubFor(post(urlPathEqualTo(TASKS + "/search"))
                    .withRequestBody(matchingJsonPath("$.after", after == null ? absent() : equalTo(after)))
                    .willReturn(okJson(stub("tasks-search-page-" + page + ".json"))));
        }

        JsonNode first = json(universal("GET", CRM + "/tasks?personId=512&limit=2", null));
        JsonNode task = first.path("items").get(0);
        assertThat(task.path("id").asString()).isEqualTo("310");
        assertThat(task.path("personId").asString()).isEqualTo("512");
        assertThat(task.path("title").asString()).isEqualTo("Call about the viewing");
        assertThat(task.path("description").asString()).isEqualTo("Ask about Saturday");
        assertThat(task.path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
        assertThat(task.path("completed").asBoolean()).isFalse();
        assertThat(task.path("assignedUserId").asString()).isEqualTo("910901");
        assertThat(first.path("items").get(1).path("completed").asBoolean()).isTrue();
        JsonNode second = json(universal("GET", CRM + "/tasks?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/tasks?cursor=" + second.path("nextCursor").asString(), null));

        // In progress, waiting and deferred are all still open.
        assertThat(second.path("items")).extracting(t -> t.path("id").asString()).containsExactly("312", "313");
        assertThat(second.path("items")).extracting(t -> t.path("completed").asBoolean()).containsExactly(false, false);
        assertThat(third.path("items")).extracting(t -> t.path("id").asString()).containsExactly("314");
        assertThat(third.path("items").get(0).path("completed").asBoolean()).isFalse();
        assertThat(third.path("nextCursor").isNull()).isTrue();
        provider.verify(postRequestedFor(urlPathEqualTo(TASKS + "/search")).withRequestBody(equalToJson("""
                {"properties": ["hs_task_subject", "hs_task_body", "hs_task_status", "hs_timestamp", "hubspot_owner_id"],
                 "sorts": [{"propertyName": "hs_timestamp", "direction": "ASCENDING"}],
                 "limit": 2, "after": "2",
                 "filterGroups": [{"filters": [{"propertyName": "associations.contact", "operator": "EQ", "value": "512"}]}]}""")));
    }

    @Test
    void listsAllTasksWithTheirContactFromTheTasksList() {
        provider.stubFor(get(urlPathEqualTo(TASKS)).withQueryParam("properties", equalTo(TASK_PROPERTIES))
                .withQueryParam("associations", equalTo("contacts")).withQueryParam("limit", equalTo("25"))
                .willReturn(okJson(stub("tasks-page-1.json"))));

        JsonNode page = json(universal("GET", CRM + "/tasks", null));

        assertThat(page.path("items")).extracting(t -> t.path("personId").asString()).containsExactly("512");
        assertThat(page.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void createsATaskWithTheBodyTheTasksGuideShowsThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo(TASKS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("task-created.json"))));
        provider.stubFor(get(urlPathEqualTo(TASKS + "/315")).withQueryParam("associations", equalTo("contacts"))
                .willReturn(okJson(stub("task.json"))));

        var response = universal("POST", CRM + "/tasks", """
                {"personId": "512", "title": "Call about the viewing", "description": "Ask about Saturday",
                 "dueAt": "2026-03-05T12:00:00-05:00", "assignedUserId": "910901"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(CRM + "/tasks/315");
        JsonNode task = json(response);
        assertThat(task.path("personId").asString()).isEqualTo("512");
        assertThat(task.path("dueAt").asString()).isEqualTo("2026-03-05T17:00:00Z");
        // The guide's example body: properties (hs_timestamp the due date in UTC), the contact with type 204.
        provider.verify(postRequestedFor(urlPathEqualTo(TASKS)).withRequestBody(equalToJson("""
                {"properties": {"hs_timestamp": "2026-03-05T17:00:00Z", "hs_task_subject": "Call about the viewing",
                                "hs_task_body": "Ask about Saturday", "hubspot_owner_id": "910901"},
                 "associations": [{"to": {"id": 512},
                                   "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 204}]}]}""")));
    }

    @Test
    void aTaskWithoutADueTimeIsDueWhenCreatedForHubSpotRequiresOne() {
        provider.stubFor(post(urlPathEqualTo(TASKS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("task-created.json"))));
        provider.stubFor(get(urlPathEqualTo(TASKS + "/315")).willReturn(okJson(stub("task.json"))));
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        var response = universal("POST", CRM + "/tasks", "{\"personId\": \"512\", \"title\": \"Call back\"}");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        var sent = JSON.readTree(provider.findAll(postRequestedFor(urlPathEqualTo(TASKS))).getFirst().getBodyAsString());
        assertThat(sent.path("properties").path("hs_task_subject").asString()).isEqualTo("Call back");
        assertThat(Instant.parse(sent.path("properties").path("hs_timestamp").asString())).isBetween(before, Instant.now());
    }

    @Test
    void completingATaskPatchesItsStatusAndReopeningSetsNotStarted() {
        provider.stubFor(patch(urlPathEqualTo(TASKS + "/310")).willReturn(okJson(stub("task-patched.json"))));
        provider.stubFor(get(urlPathEqualTo(TASKS + "/310")).willReturn(okJson(stub("task-completed.json"))));

        var completed = universal("PATCH", CRM + "/tasks/310", "{\"completed\": true}");
        var reopened = universal("PATCH", CRM + "/tasks/310", "{\"completed\": false}");

        assertThat(completed.statusCode()).as(text(completed)).isEqualTo(200);
        assertThat(json(completed).path("completed").asBoolean()).isTrue();
        assertThat(json(completed).path("personId").asString()).isEqualTo("512");
        assertThat(reopened.statusCode()).as(text(reopened)).isEqualTo(200);
        provider.verify(patchRequestedFor(urlPathEqualTo(TASKS + "/310"))
                .withRequestBody(equalToJson("{\"properties\": {\"hs_task_status\": \"COMPLETED\"}}")));
        provider.verify(patchRequestedFor(urlPathEqualTo(TASKS + "/310"))
                .withRequestBody(equalToJson("{\"properties\": {\"hs_task_status\": \"NOT_STARTED\"}}")));
    }

    // ------------------------------------------------------------------ users

    @Test
    void listsTheOwnersOverTwoPages() {
        provider.stubFor(get(urlPathEqualTo(OWNERS)).withQueryParam("limit", equalTo("2"))
                .withQueryParam("after", absent()).willReturn(okJson(stub("owners-page-1.json"))));
        provider.stubFor(get(urlPathEqualTo(OWNERS)).withQueryParam("limit", equalTo("2"))
                .withQueryParam("after", equalTo("6166860")).willReturn(okJson(stub("owners-page-2.json"))));

        JsonNode first = json(universal("GET", CRM + "/users?limit=2", null));
        JsonNode jane = first.path("items").get(0);
        assertThat(jane.path("id").asString()).isEqualTo("910901");
        assertThat(jane.path("name").asString()).isEqualTo("Jane Agent");
        assertThat(jane.path("firstName").asString()).isEqualTo("Jane");
        assertThat(jane.path("lastName").asString()).isEqualTo("Agent");
        assertThat(jane.path("email").asString()).isEqualTo("jane@example.com");
        assertThat(jane.path("active").asBoolean(false)).isTrue();
        assertThat(jane.path("role").isNull()).isTrue();
        JsonNode second = json(universal("GET", CRM + "/users?cursor=" + first.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(u -> u.path("name").asString()).containsExactly("Owen Broker");
        assertThat(second.path("nextCursor").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aTaskHubSpotRefusesIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo(TASKS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400-task.json"))));

        var response = universal("POST", CRM + "/tasks", """
                {"personId": "512", "title": "Call", "assignedUserId": "1234"}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).startsWith("Property values were not valid")
                .contains("1234 is not a valid owner id");
    }

    @Test
    void aMissingTaskIsNotFound() {
        provider.stubFor(patch(urlPathEqualTo(TASKS + "/999")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(stub("error-404.json"))));

        var response = universal("PATCH", CRM + "/tasks/999", "{\"completed\": true}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(problemType(response)).isEqualTo("not-found");
    }

    @Test
    void aRateLimitOutlastingTheRetriesIs429WithRetryAfter() {
        provider.stubFor(get(urlPathEqualTo(OWNERS)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody(stub("error-429.json"))));

        var response = universal("GET", CRM + "/users", null);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(response).path("detail").asString()).contains("You have reached your secondly limit.");
    }

    // ------------------------------------------------------------------ helpers

    private static String stub(String file) {
        return stub("hubspot", file);
    }

}
