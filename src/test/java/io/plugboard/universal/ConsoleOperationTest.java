package io.plugboard.universal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.universal.ConsoleOperation.Input;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What the console checks before any CRM is called, and how it reads an answer's records back. */
class ConsoleOperationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void listInputsAreCheckedWithTheirLabels() {
        assertThat(ConsoleOperation.LIST_PEOPLE.prepare(Map.of(Input.LIMIT, " 100 ", Input.EMAIL, "a@b.example",
                Input.UPDATED_SINCE, "2026-01-31T00:00:00Z"))).isNotNull();
        refused(ConsoleOperation.LIST_PEOPLE, Map.of(Input.LIMIT, "101"), "Limit: a whole number from 1 to 100");
        refused(ConsoleOperation.LIST_PEOPLE, Map.of(Input.LIMIT, "ten"), "Limit: a whole number from 1 to 100");
        refused(ConsoleOperation.LIST_PEOPLE, Map.of(Input.UPDATED_SINCE, "yesterday"),
                "Updated since: an ISO-8601 time, e.g. 2026-01-31T00:00:00Z");
        refused(ConsoleOperation.LIST_PEOPLE, Map.of(Input.Q, "two\nlines"), "Search");
    }

    @Test
    void inputsAnOperationDoesNotAskForAreIgnored() {
        assertThat(ConsoleOperation.GET_PERSON.prepare(Map.of(Input.ID, "123", Input.LIMIT, "not a number"))).isNotNull();
    }

    @Test
    void bodiesAreParsedStrictlyAndCheckedAsTheApiChecksThem() {
        refused(ConsoleOperation.CREATE_PERSON, Map.of(), "JSON body: required for create a person, e.g. {\"firstName\"");
        refused(ConsoleOperation.CREATE_PERSON, Map.of(Input.BODY, "{\"firstName\": \"Ada\",\n \"lastName\": }"),
                "JSON body: not valid JSON at line 2");
        refused(ConsoleOperation.CREATE_PERSON, Map.of(Input.BODY, "[1]"),
                "JSON body: must be a JSON object with the record's fields");
        refused(ConsoleOperation.CREATE_PERSON, Map.of(Input.BODY, "{\"emails\": [{\"value\": {\"a\": 1}}]}"),
                "JSON body: emails[0].value has the wrong type");
        refused(ConsoleOperation.CREATE_PERSON, Map.of(Input.BODY, "null"), "JSON body: a JSON object, not null");
        refused(ConsoleOperation.CREATE_PERSON, Map.of(Input.BODY, "{\"email\": \"ada@x.example\"}"),
                "JSON body: unknown field \"email\"; the fields are addresses, assignedUserId, emails, firstName");
        refused(ConsoleOperation.CREATE_PERSON, Map.of(Input.BODY, "{\"tags\": [\"Buyer\"]}"),
                "body: a person needs a name, an e-mail address or a phone number");
        refused(ConsoleOperation.CREATE_PERSON, Map.of(Input.BODY, "{\"emails\": [{\"type\": \"home\"}]}"),
                "emails: every entry needs a value");
        refused(ConsoleOperation.UPDATE_PERSON, Map.of(Input.ID, "1", Input.BODY, "{}"),
                "body: send at least one field to change");
        refused(ConsoleOperation.UPDATE_PERSON, Map.of(Input.BODY, "{\"stage\": \"Lead\"}"),
                "Person id: required for update a person");
        assertThat(ConsoleOperation.UPDATE_PERSON.prepare(Map.of(Input.ID, "1", Input.BODY, "{\"stage\": \"Lead\"}")))
                .isNotNull();
    }

    @Test
    void notesAndTasksAreCheckedAsTheApiChecksThem() {
        assertThat(ConsoleOperation.LIST_NOTES.prepare(Map.of(Input.ID, "123"))).isNotNull();
        assertThat(ConsoleOperation.LIST_TASKS.prepare(Map.of())).as("everyone's tasks").isNotNull();
        refused(ConsoleOperation.CREATE_NOTE, Map.of(Input.NOTE_BODY, "{\"personId\": \"123\"}"), "body: is required");
        refused(ConsoleOperation.CREATE_NOTE, Map.of(Input.NOTE_BODY, "{\"text\": \"hi\"}"),
                "JSON body: unknown field \"text\"; the fields are body, personId");
        refused(ConsoleOperation.CREATE_TASK, Map.of(Input.TASK_BODY, "{\"personId\": \"123\"}"), "title: is required");
        refused(ConsoleOperation.CREATE_TASK, Map.of(Input.TASK_BODY,
                "{\"personId\": \"123\", \"title\": \"Call\", \"dueAt\": \"Friday\"}"), "dueAt: must be an ISO-8601 timestamp");
        refused(ConsoleOperation.COMPLETE_TASK, Map.of(), "Task id: required for complete a task");
        assertThat(ConsoleOperation.COMPLETE_TASK.prepare(Map.of(Input.TASK_ID, "310"))).isNotNull();
    }

    @Test
    void aRunShowsTheNormalizedAnswerAndTheProvidersRecordsApart() {
        var answer = JSON.readTree("""
                {"items": [{"id": "1", "name": "Ada", "emails": [{"value": "ada@x.example", "isPrimary": true}],
                            "original": {"id": 1, "company": "Engines"}},
                           {"id": "2", "name": "Grace", "original": {"id": 2}}],
                 "nextCursor": "abc"}""");
        var run = new UniversalRun("cred_1", ConsoleOperation.LIST_PEOPLE, 200, 5, answer, null, null);

        assertThat(run.normalized().toString()).doesNotContain("original", "Engines").contains("nextCursor");
        assertThat(run.original().toString()).isEqualTo("[{\"id\":1,\"company\":\"Engines\"},{\"id\":2}]");
        assertThat(run.records()).extracting(r -> ConsoleOperation.Column.PERSON.get(2).text(r))
                .containsExactly("ada@x.example", "");
        assertThat(run.more()).isTrue();
        assertThat(ConsoleOperation.Column.PERSON.getLast().text(JSON.readTree(
                "{\"updatedAt\": \"2026-12-07T19:01:29.539449849Z\"}"))).isEqualTo("2026-12-07 19:01:29");
        assertThat(answer.path("items").get(0).has("original")).as("the answer itself is left as it was").isTrue();

        var single = new UniversalRun("cred_1", ConsoleOperation.GET_PERSON, 200, 5,
                JSON.readTree("{\"id\": \"1\", \"original\": {\"id\": 1}}"), null, null);
        assertThat(single.original().toString()).isEqualTo("{\"id\":1}");
        assertThat(single.records()).hasSize(1);
        assertThat(single.more()).isFalse();
    }

    private static void refused(ConsoleOperation operation, Map<Input, String> values, String message) {
        assertThatThrownBy(() -> operation.prepare(values)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(message);
    }
}
