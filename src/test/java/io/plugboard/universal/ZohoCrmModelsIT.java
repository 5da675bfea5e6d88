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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Notes, tasks and users through the Universal CRM API on Zoho CRM, its API stood in for by WireMock answering
 * what the documentation shows (each stub file under {@code universal/zoho-crm/} names its pages): a contact's
 * notes and open tasks from its related lists, all notes and tasks from their modules, active users, page numbers
 * while {@code info.more_records}, writes wrapped in {@code data} and read back, and the error mappings.
 */
@PlugboardTest
class ZohoCrmModelsIT extends UniversalCrmTestSupport {

    private static final String TOKEN = "1000.8cb99dxxxxxxxxxxxxx9be93.9b8xxxxxxxxxxxxxxxf";
    private static final String THERESA = "3652397000000624046";
    private static final String PATRICIA = "3652397000000186017";
    private static final String NOTE_FIELDS = "Note_Title,Note_Content,Parent_Id,Created_By,Created_Time,Modified_Time";
    private static final String TASK_FIELDS = "Subject,Description,Due_Date,Status,Closed_Time,Who_Id,Owner,Created_Time,"
            + "Modified_Time";
    private static final String NEW_NOTE = "3652397000000701006";
    private static final String NEW_TASK = "3652397000000801006";

    @BeforeAll
    void connectZoho() {
        // The built-in connector's API is {api_domain}/crm from the token answer; the stand-in's is WireMock's.
        String appKey = oauthConnector(tenant, "zoho-standin", null, provider.baseUrl() + "/crm");
        credentialId = oauthCredential(appKey, TOKEN, "refresh", Instant.now().plus(Duration.ofHours(1)));
    }

    // ------------------------------------------------------------------ notes

    @Test
    void listsAContactsNotesPageByPageFromItsNotesRelatedList() {
        String notes = "/crm/v8/Contacts/" + THERESA + "/Notes";
        for (int page = 1; page <= 3; page++) {
            provider.stubFor(get(urlPathEqualTo(notes)).withQueryParam("fields", equalTo(NOTE_FIELDS))
                    .withQueryParam("per_page", equalTo("2"))
                    .withQueryParam("page", page == 1 ? absent() : equalTo(String.valueOf(page)))
                    .willReturn(okJson(stub("notes-page-" + page + ".json"))));
        }

        var response = universal("GET", CRM + "/notes?personId=" + THERESA + "&limit=2", null);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode first = json(response);
        JsonNode note = first.path("items").get(0);
        assertThat(note.path("id").asString()).isEqualTo("3652397000000701005");
        assertThat(note.path("personId").asString()).isEqualTo(THERESA);
        assertThat(note.path("body").asString()).isEqualTo("Called, wants a demo on Friday.");
        assertThat(note.path("createdByUserId").asString()).isEqualTo(PATRICIA);
        assertThat(note.path("createdAt").asString()).isEqualTo("2024-03-20T04:30:00Z");
        assertThat(note.path("updatedAt").asString()).isEqualTo("2024-03-20T04:30:00Z");
        JsonNode second = json(universal("GET", CRM + "/notes?personId=" + THERESA + "&cursor="
                + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/notes?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(n -> n.path("id").asString())
                .containsExactly("3652397000000701003", "3652397000000701002");
        assertThat(third.path("items")).extracting(n -> n.path("id").asString()).containsExactly("3652397000000701001");
        assertThat(third.path("nextCursor").isNull()).isTrue();
        provider.verify(3, getRequestedFor(urlPathEqualTo(notes)).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void withoutAPersonNotesComeFromTheNotesModule() {
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Notes")).withQueryParam("fields", equalTo(NOTE_FIELDS))
                .withQueryParam("per_page", equalTo("25")).willReturn(okJson(stub("notes-page-3.json"))));

        JsonNode page = json(universal("GET", CRM + "/notes", null));

        assertThat(page.path("items")).extracting(n -> n.path("body").asString())
                .containsExactly("Need to do further tracking");
        assertThat(page.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void createsANoteOnTheContactThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo("/crm/v8/Notes")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("note-created.json"))));
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Notes/" + NEW_NOTE)).withQueryParam("fields", equalTo(NOTE_FIELDS))
                .willReturn(okJson(stub("note.json"))));

        var response = universal("POST", CRM + "/notes", """
                {"personId": "%s", "body": "Called, wants a demo on Friday."}""".formatted(THERESA));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        JsonNode note = json(response);
        assertThat(note.path("id").asString()).isEqualTo(NEW_NOTE);
        assertThat(note.path("personId").asString()).isEqualTo(THERESA);
        assertThat(note.path("createdByUserId").asString()).isEqualTo(PATRICIA);
        // The create-notes example: the parent is named by its module's api_name and its id.
        provider.verify(postRequestedFor(urlPathEqualTo("/crm/v8/Notes")).withRequestBody(equalToJson("""
                {"data": [{"Note_Content": "Called, wants a demo on Friday.",
                           "Parent_Id": {"module": {"api_name": "Contacts"}, "id": "%s"}}]}""".formatted(THERESA))));
    }

    @Test
    void aNoteZohoRefusesIs422WithItsMessage() {
        provider.stubFor(post(urlPathEqualTo("/crm/v8/Notes")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400-note.json"))));

        var response = universal("POST", CRM + "/notes", "{\"personId\": \"" + THERESA + "\", \"body\": \"Hello\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(problemType(response)).isEqualTo("provider-validation");
        assertThat(json(response).path("detail").asString()).isEqualTo("should contain either content or title");
    }

    @Test
    void theNotesOfAContactZohoDoesNotHaveAreNotFound() {
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Contacts/1/Notes")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(stub("error-404-related.json"))));

        var response = universal("GET", CRM + "/notes?personId=1", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(problemType(response)).isEqualTo("not-found");
        assertThat(json(response).path("detail").asString()).contains("The record does not exist");
    }

    // ------------------------------------------------------------------ tasks

    @Test
    void listsAllTasksPageByPageFromTheTasksModule() {
        for (int page = 1; page <= 3; page++) {
            provider.stubFor(get(urlPathEqualTo("/crm/v8/Tasks")).withQueryParam("fields", equalTo(TASK_FIELDS))
                    .withQueryParam("per_page", equalTo("2"))
                    .withQueryParam("page", page == 1 ? absent() : equalTo(String.valueOf(page)))
                    .willReturn(okJson(stub("tasks-page-" + page + ".json"))));
        }

        var response = universal("GET", CRM + "/tasks?limit=2", null);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode first = json(response);
        JsonNode open = first.path("items").get(0);
        assertThat(open.path("id").asString()).isEqualTo("3652397000000801005");
        assertThat(open.path("personId").asString()).isEqualTo(THERESA);
        assertThat(open.path("title").asString()).isEqualTo("Call about the demo");
        assertThat(open.path("description").asString()).isEqualTo("Confirm Friday's time.");
        // Due_Date holds only the day.
        assertThat(open.path("dueAt").asString()).isEqualTo("2024-03-22T00:00:00Z");
        assertThat(open.path("completed").asBoolean(true)).isFalse();
        assertThat(open.path("completedAt").isNull()).isTrue();
        assertThat(open.path("assignedUserId").asString()).isEqualTo(PATRICIA);
        assertThat(open.path("createdAt").asString()).isEqualTo("2024-03-19T03:30:00Z");
        JsonNode done = first.path("items").get(1);
        assertThat(done.path("completed").asBoolean()).isTrue();
        assertThat(done.path("completedAt").asString()).isEqualTo("2024-03-19T11:00:00Z");
        JsonNode second = json(universal("GET", CRM + "/tasks?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/tasks?cursor=" + second.path("nextCursor").asString(), null));

        // In Progress, Deferred and Waiting for input are all still open.
        assertThat(second.path("items")).extracting(t -> t.path("completed").asBoolean()).containsExactly(false, false);
        assertThat(third.path("items")).extracting(t -> t.path("id").asString()).containsExactly("3652397000000801001");
        assertThat(third.path("items").get(0).path("completed").asBoolean(true)).isFalse();
        assertThat(third.path("nextCursor").isNull()).isTrue();
        // A cursor pages through the model it came from only.
        var misused = universal("GET", CRM + "/notes?cursor=" + first.path("nextCursor").asString(), null);
        assertThat(misused.statusCode()).isEqualTo(400);
        assertThat(problemType(misused)).isEqualTo("invalid-cursor");
    }

    @Test
    void aPersonsTasksAreTheContactsOpenTasksRelatedList() {
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Contacts/" + THERESA + "/Tasks"))
                .withQueryParam("fields", equalTo(TASK_FIELDS)).withQueryParam("per_page", equalTo("25"))
                .willReturn(okJson(stub("contact-tasks.json"))));

        var response = universal("GET", CRM + "/tasks?personId=" + THERESA, null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(json(response).path("items")).extracting(t -> t.path("title").asString())
                .containsExactly("Call about the demo", "Prepare the proposal");
        assertThat(json(response).path("nextCursor").isNull()).isTrue();
        provider.verify(0, getRequestedFor(urlPathEqualTo("/crm/v8/Tasks")));
    }

    @Test
    void createsATaskWithTheDocumentedBodyThenReadsItBack() {
        provider.stubFor(post(urlPathEqualTo("/crm/v8/Tasks")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(stub("task-created.json"))));
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Tasks/" + NEW_TASK)).willReturn(okJson(stub("task.json"))));

        // 02:00 in India on the 23rd is still the 22nd in UTC, the day Zoho is given.
        var response = universal("POST", CRM + "/tasks", """
                {"personId": "%s", "title": "Call about the demo", "dueAt": "2024-03-23T02:00:00+05:30",
                 "assignedUserId": "%s"}""".formatted(THERESA, PATRICIA));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue(CRM + "/tasks/" + NEW_TASK);
        JsonNode task = json(response);
        assertThat(task.path("dueAt").asString()).isEqualTo("2024-03-22T00:00:00Z");
        assertThat(task.path("completed").asBoolean(true)).isFalse();
        // The insert example for a contact's task: Subject, Who_Id, Due_Date and "$se_module": "Contacts".
        provider.verify(postRequestedFor(urlPathEqualTo("/crm/v8/Tasks")).withRequestBody(equalToJson("""
                {"data": [{"Subject": "Call about the demo", "Due_Date": "2024-03-22", "Who_Id": {"id": "%s"},
                           "Owner": {"id": "%s"}, "$se_module": "Contacts"}]}""".formatted(THERESA, PATRICIA))));
    }

    @Test
    void completingATaskPutsItsStatusThenReadsItBack() {
        provider.stubFor(put(urlPathEqualTo("/crm/v8/Tasks/" + NEW_TASK)).willReturn(okJson(stub("task-updated.json"))));
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Tasks/" + NEW_TASK)).willReturn(okJson(stub("task-completed.json"))));

        var completed = universal("PATCH", CRM + "/tasks/" + NEW_TASK, "{\"completed\": true}");
        var reopened = universal("PATCH", CRM + "/tasks/" + NEW_TASK, "{\"completed\": false}");

        assertThat(completed.statusCode()).as(text(completed)).isEqualTo(200);
        assertThat(json(completed).path("completed").asBoolean()).isTrue();
        assertThat(json(completed).path("completedAt").asString()).isEqualTo("2024-03-21T05:30:00Z");
        assertThat(reopened.statusCode()).as(text(reopened)).isEqualTo(200);
        provider.verify(putRequestedFor(urlPathEqualTo("/crm/v8/Tasks/" + NEW_TASK))
                .withRequestBody(equalToJson("{\"data\": [{\"Status\": \"Completed\"}]}")));
        provider.verify(putRequestedFor(urlPathEqualTo("/crm/v8/Tasks/" + NEW_TASK))
                .withRequestBody(equalToJson("{\"data\": [{\"Status\": \"Not Started\"}]}")));
    }

    @Test
    void aTaskZohoRefusesIs422AndARateLimitIs429() {
        provider.stubFor(post(urlPathEqualTo("/crm/v8/Tasks")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(stub("error-400-task.json"))));
        provider.stubFor(get(urlPathEqualTo("/crm/v8/Tasks")).withQueryParam("per_page", equalTo("7"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

        var refused = universal("POST", CRM + "/tasks", "{\"personId\": \"" + THERESA + "\", \"title\": \"T\"}");
        var limited = universal("GET", CRM + "/tasks?limit=7", null);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).path("detail").asString()).isEqualTo("required field not found");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    }

    // ------------------------------------------------------------------ users

    @Test
    void listsTheActiveUsersPageByPage() {
        for (int page = 1; page <= 3; page++) {
            provider.stubFor(get(urlPathEqualTo("/crm/v8/users")).withQueryParam("type", equalTo("ActiveUsers"))
                    .withQueryParam("per_page", equalTo("2"))
                    .withQueryParam("page", page == 1 ? absent() : equalTo(String.valueOf(page)))
                    .willReturn(okJson(stub("users-page-" + page + ".json"))));
        }

        JsonNode first = json(universal("GET", CRM + "/users?limit=2", null));
        JsonNode patricia = first.path("items").get(0);
        assertThat(patricia.path("id").asString()).isEqualTo(PATRICIA);
        assertThat(patricia.path("name").asString()).isEqualTo("Patricia Boyle");
        assertThat(patricia.path("firstName").asString()).isEqualTo("Patricia");
        assertThat(patricia.path("lastName").asString()).isEqualTo("Boyle");
        assertThat(patricia.path("email").asString()).isEqualTo("p.boyle@zylker.com");
        assertThat(patricia.path("role").asString()).isEqualTo("CEO");
        assertThat(patricia.path("active").asBoolean()).isTrue();
        JsonNode second = json(universal("GET", CRM + "/users?cursor=" + first.path("nextCursor").asString(), null));
        JsonNode third = json(universal("GET", CRM + "/users?cursor=" + second.path("nextCursor").asString(), null));

        assertThat(second.path("items")).extracting(u -> u.path("lastName").asString()).containsExactly("Wieser", "Dilliard");
        assertThat(third.path("items")).extracting(u -> u.path("name").asString()).containsExactly("Mitsue Tollner");
        assertThat(third.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void anotherTenantCannotUseTheCredential() {
        provider.stubFor(get(urlPathEqualTo("/crm/v8/users")).willReturn(okJson(stub("users-page-3.json"))));
        var other = TestTenants.create(context, "zohomodels");

        var otherTenant = universal(jwt(other, "tenant"), credentialId, "GET", CRM + "/users", null);
        var otherNotes = universal(jwt(other, "tenant"), credentialId, "POST", CRM + "/notes",
                "{\"personId\": \"" + THERESA + "\", \"body\": \"x\"}");

        assertThat(otherTenant.statusCode()).isEqualTo(404);
        assertThat(otherNotes.statusCode()).isEqualTo(404);
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static String stub(String file) {
        return stub("zoho-crm", file);
    }

}
