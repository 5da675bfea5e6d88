package io.plugboard.universal;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Notes, tasks and users through the Universal CRM API on Salesforce, its REST API stood in for by WireMock
 * answering what the documentation shows (each stub file under {@code universal/salesforce/} names its pages):
 * SOQL pages of Note, Task and User continued after the last Id, a person's notes and tasks by a WHERE clause,
 * creates and the task update with the exact bodies Salesforce receives and the record read back, and the error
 * mappings.
 */
@PlugboardTest
class SalesforceModelsIT extends UniversalCrmTestSupport {

    private static final String API = "/services/data/v62.0";
    private static final String NOTES = "SELECT Id, ParentId, Title, Body, CreatedById, CreatedDate, LastModifiedDate"
            + " FROM Note";
    private static final String TASKS = "SELECT Id, WhoId, Subject, Description, ActivityDate, Status, IsClosed,"
            + " CompletedDateTime, OwnerId, CreatedDate, LastModifiedDate FROM Task";
    private static final String USERS = "SELECT Id, Name, FirstName, LastName, Email, IsActive, UserRole.Name FROM User";
    private static final String MARC = "003D000000QV9n1IAD";
    private static final String TASK = "00TD000000Lm9x1IAB";

    @BeforeAll
    void connectSalesforce() {
        // The built-in connector's API origin is the token's instance_url; the stand-in's is WireMock.
        String appKey = oauthConnector(tenant, "salesforce-standin", null, provider.baseUrl());
        credentialId = oauthCredential(appKey, "00Dxx0000001gPL!AR8AQNotesTasks", "refresh",
                Instant.now().plus(Duration.ofHours(2)));
    }

    // ------------------------------------------------------------------ notes

    @Test
    void listsAPersonsNotesOverThreePagesAfterTheLastId() {
        stubQuery(NOTES + " WHERE ParentId = '" + MARC + "' ORDER BY Id LIMIT 2", "notes-page-1.json");
        stubQuery(NOTES + " WHERE ParentId = '" + MARC + "' AND Id > '002D000000Kp1a2IAB' ORDER BY Id LIMIT 2",
                "notes-page-2.json");
        stubQuery(NOTES + " WHERE ParentId = '" + MARC + "' AND Id > '002D000000Kp1a4IAB' ORDER BY Id LIMIT 2",
                "notes-page-3.json");

        var response = universal("GET", CRM + "/notes?personId=" + MARC + "&limit=2", null);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode first = json(response);
        JsonNode note = first.path("items").get(0);
        assertThat(note.path("id").asString()).isEqualTo("002D000000Kp1a1IAB");
        assertThat(note.path("personId").asString()).isEqualTo(MARC);
        assertThat(note.path("body").asString()).isEqualTo("Called, wants a viewing on Saturday.\nPrefers the morning.");
        assertThat(note.path("createdByUserId").asString()).isEqualTo("005D0000001AbCdIAK");
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-03-08T15:04:05Z");
        assertThat(note.path("originalIds").path("Id").asString()).isEqualTo("002D000000Kp1a1IAB");
        JsonNode second = json(universal("GET", CRM + "/notes?personId=" + MARC + "&cursor="
                + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/notes?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(n -> n.path("body").asString())
                .containsExactly("Viewing went well.", "Asked about the garden.");
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("002D000000Kp1a5IAB");
        assertThat(third.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void listsEveryNoteWithoutAPerson() {
        stubQuery(NOTES + " ORDER BY Id LIMIT 25", "notes-page-3.json");

        var response = universal("GET", CRM + "/notes", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("items")).extracting(n -> n.path("body").asString()).containsExactly("Made an offer.");
    }

    @Test
    void createsAClassicNoteTitledByItsFirstLineThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo(API + "/sobjects/Note")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("note-created.json"))));
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Note/002D000000Kp1a6IAB"))
                .willReturn(okJson(stub("note.json"))));

        var response = universal("POST", CRM + "/notes?include=original", """
                {"personId": "003D000000QV9n1IAD", "body": "Called, wants a viewing on Saturday.\\nPrefers the morning."}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        JsonNode note = json(response);
        assertThat(note.path("id").asString()).isEqualTo("002D000000Kp1a6IAB");
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-03-21T08:00:00Z");
        assertThat(note.path("original").path("Title").asString()).isEqualTo("Called, wants a viewing on Saturday.");
        // Title is required and holds 80 characters: the body's first line.
        provider.verify(postRequestedFor(urlPathEqualTo(API + "/sobjects/Note")).withRequestBody(equalToJson("""
                {"ParentId": "003D000000QV9n1IAD", "Title": "Called, wants a viewing on Saturday.",
                 "Body": "Called, wants a viewing on Saturday.\\nPrefers the morning."}""")));
    }

    @Test
    void aNoteSalesforceRefusesIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo(API + "/sobjects/Note")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400-note.json"))));

        var response = universal("POST", CRM + "/notes", "{\"personId\": \"001900K0001pPuOAAU\", \"body\": \"Hello\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString())
                .isEqualTo("Parent ID: id value of incorrect type: 001900K0001pPuOAAU");
    }

    @Test
    void aPersonIdCannotInjectSoql() {
        // The quote is escaped inside the literal: the WHERE clause still compares ParentId with one value.
        stubQuery(NOTES + " WHERE ParentId = 'x\\' OR ParentId != \\'' ORDER BY Id LIMIT 25", "notes-page-3.json");

        var response = universal("GET", CRM + "/notes?personId="
                + URLEncoder.encode("x' OR ParentId != '", StandardCharsets.UTF_8), null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        provider.verify(1, getRequestedFor(urlPathEqualTo(API + "/query")));
    }

    // ------------------------------------------------------------------ tasks

    @Test
    void listsAPersonsTasksOverThreePagesWithTheDueDayAndIsClosed() {
        stubQuery(TASKS + " WHERE WhoId = '" + MARC + "' ORDER BY Id LIMIT 2", "tasks-page-1.json");
        stubQuery(TASKS + " WHERE WhoId = '" + MARC + "' AND Id > '00TD000000Lm9x2IAB' ORDER BY Id LIMIT 2",
                "tasks-page-2.json");
        stubQuery(TASKS + " WHERE WhoId = '" + MARC + "' AND Id > '00TD000000Lm9x4IAB' ORDER BY Id LIMIT 2",
                "tasks-page-3.json");

        var response = universal("GET", CRM + "/tasks?personId=" + MARC + "&limit=2", null);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode first = json(response);
        JsonNode call = first.path("items").get(0);
        assertThat(call.path("id").asString()).isEqualTo(TASK);
        assertThat(call.path("personId").asString()).isEqualTo(MARC);
        assertThat(call.path("title").asString()).isEqualTo("Call about the viewing");
        assertThat(call.path("description").asString()).isEqualTo("Ask about Saturday morning.");
        // ActivityDate holds only the day.
        assertThat(call.path("dueAt").asString()).isEqualTo("2026-03-05T00:00:00Z");
        assertThat(call.path("completed").asBoolean()).isFalse();
        assertThat(call.path("completedAt").isNull()).isTrue();
        assertThat(call.path("assignedUserId").asString()).isEqualTo("005D0000001AbCdIAK");
        assertThat(call.path("createdAt").asString()).isEqualTo("2026-03-01T09:00:00Z");
        JsonNode sent = first.path("items").get(1);
        assertThat(sent.path("completed").asBoolean()).isTrue();
        assertThat(sent.path("completedAt").asString()).isEqualTo("2026-03-06T14:20:00Z");
        JsonNode second = json(universal("GET", CRM + "/tasks?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/tasks?cursor=" + second.path("nextCursor").asString(), null));

        // In Progress and Deferred are open statuses; a task without a due day has no dueAt.
        assertThat(second.path("items")).extracting(t -> t.path("completed").asBoolean()).containsExactly(false, false);
        assertThat(second.path("items").get(1).path("dueAt").isNull()).isTrue();
        assertThat(third.path("items")).extracting(t -> t.path("title").asString()).containsExactly("Prepare the offer");
        assertThat(third.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void createsATaskWithTheDueDaySalesforceKeepsThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo(API + "/sobjects/Task")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("task-created.json"))));
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Task/" + TASK)).willReturn(okJson(stub("task.json"))));

        var response = universal("POST", CRM + "/tasks", """
                {"personId": "003D000000QV9n1IAD", "title": "Call about the viewing",
                 "description": "Ask about Saturday morning.", "dueAt": "2026-03-05T12:00:00-05:00",
                 "assignedUserId": "005D0000001AbCdIAK"}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(CRM + "/tasks/" + TASK);
        assertThat(json(response).path("dueAt").asString()).isEqualTo("2026-03-05T00:00:00Z");
        // The UTC day of the due time; Status is left to the org's default (an open one).
        provider.verify(postRequestedFor(urlPathEqualTo(API + "/sobjects/Task")).withRequestBody(equalToJson("""
                {"WhoId": "003D000000QV9n1IAD", "Subject": "Call about the viewing",
                 "Description": "Ask about Saturday morning.", "ActivityDate": "2026-03-05",
                 "OwnerId": "005D0000001AbCdIAK"}""")));
    }

    @Test
    void completingATaskPatchesItsStatusThenReadsItBack() {
        provider.stubFor(patch(urlPathEqualTo(API + "/sobjects/Task/" + TASK)).willReturn(aResponse().withStatus(204)));
        provider.stubFor(get(urlPathEqualTo(API + "/sobjects/Task/" + TASK)).willReturn(okJson(stub("task-completed.json"))));

        var response = universal("PATCH", CRM + "/tasks/" + TASK, "{\"completed\": true}");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode task = json(response);
        assertThat(task.path("completed").asBoolean()).isTrue();
        assertThat(task.path("completedAt").asString()).isEqualTo("2026-03-05T16:02:11Z");
        provider.verify(patchRequestedFor(urlPathEqualTo(API + "/sobjects/Task/" + TASK))
                .withRequestBody(equalToJson("{\"Status\": \"Completed\"}")));
    }

    @Test
    void aTaskSalesforceRefusesIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo(API + "/sobjects/Task")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400-task.json"))));

        var response = universal("POST", CRM + "/tasks", """
                {"personId": "003D000000QV9n1IAD", "title": "Call", "assignedUserId": "003D000000QV9n1IAD"}""");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("detail").asString())
                .isEqualTo("Assigned To ID: id value of incorrect type: 003D000000QV9n1IAD");
    }

    @Test
    void aMissingTaskIsNotFoundAndARateLimitIs429() {
        provider.stubFor(patch(urlPathEqualTo(API + "/sobjects/Task/00TD000000Lm9x9IAB")).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json").withBody(stub("error-404.json"))));
        provider.stubFor(get(urlPathEqualTo(API + "/query")).withQueryParam("q", equalTo(TASKS
                + " WHERE WhoId = '003D000000QV9n9IAD' ORDER BY Id LIMIT 25")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1")));

        var missing = universal("PATCH", CRM + "/tasks/00TD000000Lm9x9IAB", "{\"completed\": true}");
        var limited = universal("GET", CRM + "/tasks?personId=003D000000QV9n9IAD", null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(problemType(missing)).isEqualTo("not-found");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(problemType(limited)).isEqualTo("rate-limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        provider.verify(0, getRequestedFor(urlPathEqualTo(API + "/sobjects/Task/00TD000000Lm9x9IAB")));
    }

    // ------------------------------------------------------------------ users

    @Test
    void listsTheOrgsOwnUsersWithTheirRoleNamesOverTwoPages() {
        // Only the org's own users: portal, guest and Chatter-only users are no CRM users.
        stubQuery(USERS + " WHERE UserType = 'Standard' ORDER BY Id LIMIT 2", "users-page-1.json");
        stubQuery(USERS + " WHERE UserType = 'Standard' AND Id > '005D0000001AbCeIAK' ORDER BY Id LIMIT 2",
                "users-page-2.json");

        var response = universal("GET", CRM + "/users?limit=2", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode first = json(response);
        assertThat(first.path("items")).extracting(u -> u.path("name").asString())
                .containsExactly("Jane Agent", "Owen Broker");
        JsonNode jane = first.path("items").get(0);
        assertThat(jane.path("id").asString()).isEqualTo("005D0000001AbCdIAK");
        assertThat(jane.path("firstName").asString()).isEqualTo("Jane");
        assertThat(jane.path("lastName").asString()).isEqualTo("Agent");
        assertThat(jane.path("email").asString()).isEqualTo("jane@example.com");
        assertThat(jane.path("role").asString()).isEqualTo("Sales Rep");
        assertThat(jane.path("active").asBoolean()).isTrue();
        JsonNode second = json(universal("GET", CRM + "/users?cursor=" + first.path("nextCursor").asString(), null));
        // A user without a role has UserRole null; an inactive one is still listed.
        JsonNode ivy = second.path("items").get(0);
        assertThat(ivy.path("name").asString()).isEqualTo("Ivy Former");
        assertThat(ivy.path("role").isNull()).isTrue();
        assertThat(ivy.path("active").asBoolean()).isFalse();
        assertThat(second.path("nextCursor").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private void stubQuery(String soql, String file) {
        provider.stubFor(get(urlPathEqualTo(API + "/query")).withQueryParam("q", equalTo(soql))
                .willReturn(okJson(stub(file))));
    }

    private static String stub(String file) {
        return stub("salesforce", file);
    }

}
