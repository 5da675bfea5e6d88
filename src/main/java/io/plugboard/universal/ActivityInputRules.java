package io.plugboard.universal;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * What a note or a task sent to a CRM must be, whichever way it came (the REST API, MCP tools): checked before
 * anything reaches the CRM, so a bad field answers with its name rather than as the provider's refusal.
 */
public final class ActivityInputRules {

    private static final int MAX_TEXT = 500;
    private static final int MAX_ID = 200;
    /** Notes and descriptions are free text; a CRM's own limits are larger than anyone types. */
    private static final int MAX_BODY = 20_000;
    private static final TaskInput NOTHING = new TaskInput(null, null, null, null, null, null);

    private ActivityInputRules() {
    }

    public static NoteInput note(@Nullable NoteInput note) {
        if (note == null) {
            throw new InvalidRequestException("body: send the note as JSON");
        }
        required("personId", TextInput.line("personId", note.personId(), MAX_ID));
        required("body", TextInput.text("body", note.body(), MAX_BODY));
        return note;
    }

    /**
     * The task with its text checked and its due time in UTC. {@code creating}: a new task needs its person and
     * title; a change needs at least one field.
     */
    public static TaskInput task(@Nullable TaskInput task, boolean creating) {
        if (task == null) {
            throw new InvalidRequestException("body: send the task as JSON");
        }
        TextInput.line("personId", task.personId(), MAX_ID);
        TextInput.line("title", task.title(), MAX_TEXT);
        TextInput.text("description", task.description(), MAX_BODY);
        TextInput.line("assignedUserId", task.assignedUserId(), MAX_ID);
        String dueAt = null;
        if (task.dueAt() != null) {
            try {
                dueAt = OffsetDateTime.parse(task.dueAt().strip()).toInstant().toString();
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("dueAt: must be an ISO-8601 timestamp, e.g. 2026-03-05T17:00:00Z");
            }
        }
        var valid = new TaskInput(task.personId(), task.title(), task.description(), dueAt, task.completed(),
                task.assignedUserId());
        if (creating) {
            required("personId", valid.personId());
            required("title", valid.title());
        } else if (valid.equals(NOTHING)) {
            throw new InvalidRequestException("body: send at least one field to change");
        }
        return valid;
    }

    private static void required(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + ": is required");
        }
    }
}
