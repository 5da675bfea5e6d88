package io.plugboard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jwt.Jwt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's notes, tasks and users as the Universal CRM API's mapping ({@code connectors/universal/
 * sandbox-crm.yaml}) reads them: per contact, paged by offset, tasks completed with PATCH, and each account's
 * own records.
 */
class SandboxActivitiesApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final SandboxContacts contacts = new SandboxContacts(clock);
    private final SandboxActivitiesApi api = new SandboxActivitiesApi(contacts, new SandboxActivities(clock));
    private final Jwt ada = token("ada@example.com");

    @Test
    void notesArePerContactAndPagedByOffset() {
        var added = api.addNote(ada, new SandboxActivitiesApi.NewNote("c_sample_1", " Sent the floor plans. "));
        api.addNote(ada, new SandboxActivitiesApi.NewNote("c_sample_2", "Not Ada's contact's note"));

        assertThat(added.getStatusCode().value()).isEqualTo(201);
        JsonNode first = body(api.notes(ada, "c_sample_1", 1, null));
        JsonNode second = body(api.notes(ada, "c_sample_1", 1, 1));
        assertThat(first.path("total").asInt()).isEqualTo(2);
        assertThat(first.path("notes").get(0).path("id").asString()).isEqualTo("n_sample_1");
        JsonNode note = second.path("notes").get(0);
        assertThat(note.path("text").asString()).isEqualTo("Sent the floor plans.");
        assertThat(note.path("contactId").asString()).isEqualTo("c_sample_1");
        assertThat(note.path("author").asString()).isEqualTo("u_owner");
        assertThat(note.path("createdAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(body(api.notes(token("bob@example.com"), null, null, null)).path("total").asInt()).isEqualTo(1);
    }

    @Test
    void tasksAreCreatedCompletedAndReopened() {
        JsonNode created = body(api.addTask(ada, new SandboxActivitiesApi.NewTask("c_sample_3", "Call back", null,
                "2026-01-05T09:00:00+01:00", null, "u_sample_1")));
        String id = created.path("id").asString();

        JsonNode done = body(api.changeTask(ada, id, new SandboxActivitiesApi.NewTask(null, null, null, null, true, null)));
        JsonNode reopened = body(api.changeTask(ada, id, new SandboxActivitiesApi.NewTask(null, null, null, null, false, null)));

        assertThat(created.path("due").asString()).isEqualTo("2026-01-05T08:00:00Z");
        assertThat(created.path("done").asBoolean()).isFalse();
        assertThat(created.path("assignee").asString()).isEqualTo("u_sample_1");
        assertThat(done.path("done").asBoolean()).isTrue();
        assertThat(done.path("doneAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(done.path("title").asString()).isEqualTo("Call back");
        assertThat(reopened.path("done").asBoolean()).isFalse();
        assertThat(reopened.path("doneAt").isNull()).isTrue();
        assertThat(body(api.tasks(ada, "c_sample_3", null, null)).path("tasks")).hasSize(1);
    }

    @Test
    void usersAreTheAccountHolderAndTwoTeammates() {
        JsonNode users = body(api.users(ada, null, null)).path("users");

        assertThat(users).extracting(u -> u.path("id").asString()).containsExactly("u_owner", "u_sample_1", "u_sample_2");
        assertThat(users.get(0).path("name").asString()).isEqualTo("Ada");
        assertThat(users.get(0).path("email").asString()).isEqualTo("ada@example.com");
        assertThat(users.get(2).path("active").asBoolean()).isFalse();
        assertThat(body(api.users(ada, 2, 2)).path("users")).hasSize(1);
    }

    @Test
    void refusesWhatItCannotDo() {
        var noContact = api.addNote(ada, new SandboxActivitiesApi.NewNote("c_none", "x"));
        assertThat(noContact.getStatusCode().value()).isEqualTo(400);
        assertThat(body(noContact).path("message").asString()).isEqualTo("contactId: no contact c_none.");
        assertThat(api.addNote(ada, new SandboxActivitiesApi.NewNote("c_sample_1", " ")).getStatusCode().value()).isEqualTo(400);
        assertThat(api.addTask(ada, new SandboxActivitiesApi.NewTask("c_sample_1", null, null, null, null, null))
                .getStatusCode().value()).isEqualTo(400);
        assertThat(api.addTask(ada, new SandboxActivitiesApi.NewTask("c_sample_1", "T", null, "soon", null, null))
                .getStatusCode().value()).isEqualTo(400);
        assertThat(api.changeTask(ada, "t_none", new SandboxActivitiesApi.NewTask(null, null, null, null, true, null))
                .getStatusCode().value()).isEqualTo(404);
        assertThat(api.tasks(ada, null, 0, null).getStatusCode().value()).isEqualTo(400);
    }

    private static Jwt token(String subject) {
        return Jwt.withTokenValue("t").header("alg", "none").subject(subject).build();
    }

    private static JsonNode body(ResponseEntity<?> response) {
        return JSON.valueToTree(response.getBody());
    }
}
