package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Notes, tasks and users through the Universal CRM API on the demo's Sandbox CRM (its own names: contactId,
 * text, due, done, assignee), its API stood in for by WireMock answering as the sandbox does (see the stub
 * files and {@code SandboxActivitiesApiTest}); and what a CRM whose mapping has no notes answers.
 */
@PlugboardTest
class SandboxModelsIT extends UniversalCrmTestSupport {

    private String listOnlyCredential;

    @BeforeAll
    void connectSandbox() {
        String appKey = oauthConnector(tenant, "sandbox-crm", null, provider.baseUrl() + "/sandbox/api");
        credentialId = oauthCredential(appKey, "sandbox-access", "sandbox-refresh", Instant.now().plus(Duration.ofHours(1)));
        String listOnly = oauthConnector(tenant, "listonly-crm", null, provider.baseUrl() + "/lo");
        listOnlyCredential = oauthCredential(listOnly, "lo-access", "lo-refresh", Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void listsAContactsNotesByOffset() {
        provider.stubFor(get(urlPathEqualTo("/sandbox/api/notes")).withQueryParam("contactId", equalTo("c_sample_1"))
                .withQueryParam("limit", equalTo("2")).withQueryParam("offset", absent())
                .willReturn(okJson(stub("sandbox-crm", "notes-page-1.json"))));
        provider.stubFor(get(urlPathEqualTo("/sandbox/api/notes")).withQueryParam("contactId", equalTo("c_sample_1"))
                .withQueryParam("limit", equalTo("2")).withQueryParam("offset", equalTo("2"))
                .willReturn(okJson(stub("sandbox-crm", "notes-page-2.json"))));

        JsonNode first = json(universal(jwt(), credentialId, "GET", CRM + "/notes?personId=c_sample_1&limit=2", null));
        JsonNode second = json(universal(jwt(), credentialId, "GET", CRM + "/notes?cursor=" + first.path("nextCursor").asString(), null));

        JsonNode note = first.path("items").get(0);
        assertThat(note.path("id").asString()).isEqualTo("n_sample_1");
        assertThat(note.path("personId").asString()).isEqualTo("c_sample_1");
        assertThat(note.path("body").asString()).startsWith("Met at the open house");
        assertThat(note.path("createdByUserId").asString()).isEqualTo("u_owner");
        assertThat(second.path("items")).extracting(n -> n.path("id").asString()).containsExactly("n_3");
        assertThat(second.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void createsANoteAsTheSandboxNamesIt() {
        provider.stubFor(post(urlPathEqualTo("/sandbox/api/notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("sandbox-crm", "note.json"))));

        var response = universal(jwt(), credentialId, "POST", CRM + "/notes", """
                {"personId": "c_sample_1", "body": "Viewing booked."}""");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(json(response).path("id").asString()).isEqualTo("n_4");
        provider.verify(postRequestedFor(urlPathEqualTo("/sandbox/api/notes")).withRequestBody(equalToJson("""
                {"contactId": "c_sample_1", "text": "Viewing booked."}""")));
    }

    @Test
    void theSandboxsRefusalOfANoteIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo("/sandbox/api/notes")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("sandbox-crm", "error-400-note.json"))));

        var response = universal(jwt(), credentialId, "POST", CRM + "/notes", "{\"personId\": \"c_none\", \"body\": \"x\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("detail").asString()).isEqualTo("contactId: no contact c_none.");
    }

    @Test
    void createsListsAndCompletesTasks() {
        provider.stubFor(get(urlPathEqualTo("/sandbox/api/tasks")).withQueryParam("contactId", equalTo("c_sample_2"))
                .willReturn(okJson(stub("sandbox-crm", "tasks.json"))));
        provider.stubFor(post(urlPathEqualTo("/sandbox/api/tasks")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("sandbox-crm", "task.json"))));
        provider.stubFor(patch(urlPathEqualTo("/sandbox/api/tasks/t_5"))
                .willReturn(okJson(stub("sandbox-crm", "task-done.json"))));

        JsonNode listed = json(universal(jwt(), credentialId, "GET", CRM + "/tasks?personId=c_sample_2", null));
        var created = universal(jwt(), credentialId, "POST", CRM + "/tasks", """
                {"personId": "c_sample_2", "title": "Send the listings in Arlington", "description": "Ask about the garden",
                 "dueAt": "2026-01-03T00:00:00Z", "assignedUserId": "u_owner"}""");
        var completed = universal(jwt(), credentialId, "PATCH", CRM + "/tasks/t_5", """
                {"completed": true, "personId": "c_other"}""");

        JsonNode task = listed.path("items").get(0);
        assertThat(task.path("title").asString()).isEqualTo("Send the listings in Arlington");
        assertThat(task.path("description").asString()).isEqualTo("Ask about the garden");
        assertThat(task.path("dueAt").asString()).isEqualTo("2026-01-03T00:00:00Z");
        assertThat(task.path("completed").asBoolean()).isFalse();
        assertThat(task.path("completedAt").isNull()).isTrue();
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        provider.verify(postRequestedFor(urlPathEqualTo("/sandbox/api/tasks")).withRequestBody(equalToJson("""
                {"contactId": "c_sample_2", "title": "Send the listings in Arlington", "notes": "Ask about the garden",
                 "due": "2026-01-03T00:00:00Z", "assignee": "u_owner"}""")));
        assertThat(completed.statusCode()).as(text(completed)).isEqualTo(200);
        assertThat(json(completed).path("completed").asBoolean()).isTrue();
        assertThat(json(completed).path("completedAt").asString()).isEqualTo("2026-01-02T09:30:00Z");
        // The sandbox does not move a task to another contact: personId is written only on creation.
        provider.verify(patchRequestedFor(urlPathEqualTo("/sandbox/api/tasks/t_5"))
                .withRequestBody(equalToJson("{\"done\": true}")));
    }

    @Test
    void listsUsersWithWhetherTheyAreActive() {
        provider.stubFor(get(urlPathEqualTo("/sandbox/api/users")).willReturn(okJson(stub("sandbox-crm", "users.json"))));

        JsonNode users = json(universal(jwt(), credentialId, "GET", CRM + "/users", null)).path("items");

        assertThat(users).extracting(u -> u.path("id").asString()).containsExactly("u_owner", "u_sample_1", "u_sample_2");
        assertThat(users.get(0).path("role").asString()).isEqualTo("owner");
        assertThat(users.get(0).path("active").asBoolean()).isTrue();
        assertThat(users.get(2).path("active").asBoolean()).isFalse();
    }

    @Test
    void aCrmWithoutNotesTasksOrUsersAnswers501NamingConnectorAndOperation() {
        var notes = universal(jwt(), listOnlyCredential, "GET", CRM + "/notes", null);
        var task = universal(jwt(), listOnlyCredential, "POST", CRM + "/tasks", "{\"personId\": \"1\", \"title\": \"T\"}");
        var users = universal(jwt(), listOnlyCredential, "GET", CRM + "/users", null);

        assertThat(notes.statusCode()).isEqualTo(501);
        assertThat(problemType(notes)).isEqualTo("operation-not-supported");
        assertThat(json(notes).path("detail").asString()).contains("listonly-crm", "list notes");
        assertThat(task.statusCode()).isEqualTo(501);
        assertThat(json(task).path("detail").asString()).contains("listonly-crm", "create a task");
        assertThat(users.statusCode()).isEqualTo(501);
        assertThat(json(users).path("detail").asString()).contains("listonly-crm", "list users");
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

}
