package io.plugboard.universal;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * An operation the portal's API console runs across CRMs: its label, the inputs it asks for, the columns of its
 * results table, and the {@link UniversalCrm} call it makes. Another operation is another constant here.
 */
public enum ConsoleOperation {

    LIST_PEOPLE("List people", 200, "items",
            List.of(Input.LIMIT, Input.EMAIL, Input.PHONE, Input.Q, Input.UPDATED_SINCE), Column.PERSON) {
        @Override
        Call prepare(Inputs in) {
            var query = new PeopleQuery(in.limit(), null, in.instant(Input.UPDATED_SINCE), in.line(Input.EMAIL),
                    in.line(Input.PHONE), in.line(Input.Q));
            return (crm, caller) -> crm.listPeople(caller, query, true);
        }
    },
    GET_PERSON("Get a person", 200, null, List.of(Input.ID), Column.PERSON) {
        @Override
        Call prepare(Inputs in) {
            String id = in.required(Input.ID);
            return (crm, caller) -> crm.getPerson(caller, id, true);
        }
    },
    CREATE_PERSON("Create a person", 201, null, List.of(Input.BODY), Column.PERSON) {
        @Override
        Call prepare(Inputs in) {
            PersonInput person = in.body(Input.BODY, PersonInput.class);
            PersonInputRules.check(person, true);
            return (crm, caller) -> crm.createPerson(caller, person, true);
        }
    },
    UPDATE_PERSON("Update a person", 200, null, List.of(Input.ID, Input.BODY), Column.PERSON) {
        @Override
        Call prepare(Inputs in) {
            String id = in.required(Input.ID);
            PersonInput person = in.body(Input.BODY, PersonInput.class);
            PersonInputRules.check(person, false);
            return (crm, caller) -> crm.updatePerson(caller, id, person, true);
        }
    },
    LIST_NOTES("List notes", 200, "items", List.of(Input.LIMIT, Input.ID), Column.NOTE) {
        @Override
        Call prepare(Inputs in) {
            var query = in.forPerson();
            return (crm, caller) -> crm.listNotes(caller, query, true);
        }
    },
    CREATE_NOTE("Add a note", 201, null, List.of(Input.NOTE_BODY), Column.NOTE) {
        @Override
        Call prepare(Inputs in) {
            NoteInput note = ActivityInputRules.note(in.body(Input.NOTE_BODY, NoteInput.class));
            return (crm, caller) -> crm.createNote(caller, note, true);
        }
    },
    LIST_TASKS("List tasks", 200, "items", List.of(Input.LIMIT, Input.ID), Column.TASK) {
        @Override
        Call prepare(Inputs in) {
            var query = in.forPerson();
            return (crm, caller) -> crm.listTasks(caller, query, true);
        }
    },
    CREATE_TASK("Create a task", 201, null, List.of(Input.TASK_BODY), Column.TASK) {
        @Override
        Call prepare(Inputs in) {
            TaskInput task = ActivityInputRules.task(in.body(Input.TASK_BODY, TaskInput.class), true);
            return (crm, caller) -> crm.createTask(caller, task, true);
        }
    },
    COMPLETE_TASK("Complete a task", 200, null, List.of(Input.TASK_ID), Column.TASK) {
        @Override
        Call prepare(Inputs in) {
            String id = in.required(Input.TASK_ID);
            var done = ActivityInputRules.task(new TaskInput(null, null, null, null, true, null), false);
            return (crm, caller) -> crm.updateTask(caller, id, done, true);
        }
    },
    LIST_USERS("List users", 200, "items", List.of(Input.LIMIT), Column.USER) {
        @Override
        Call prepare(Inputs in) {
            var query = new ListQuery(in.limit(), null, Map.of());
            return (crm, caller) -> crm.listUsers(caller, query, true);
        }
    };

    private static final int MAX_TEXT = 500;
    private static final int MAX_BODY = 64 * 1024;
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final String label;
    private final int status;
    private final @Nullable String itemsMember;
    private final List<Input> inputs;
    private final List<Column> columns;

    ConsoleOperation(String label, int status, @Nullable String itemsMember, List<Input> inputs,
                     List<Column> columns) {
        this.label = label;
        this.status = status;
        this.itemsMember = itemsMember;
        this.inputs = inputs;
        this.columns = columns;
    }

    public String label() {
        return label;
    }

    /** The status the Universal API answers the operation with when it succeeds. */
    public int status() {
        return status;
    }

    public List<Input> inputs() {
        return inputs;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Whether the operation answers a page of records rather than one. */
    public boolean lists() {
        return itemsMember != null;
    }

    /**
     * The records in an answer: a list operation's items, or the one record a single-record operation answers.
     */
    public List<JsonNode> records(JsonNode answer) {
        if (itemsMember == null) {
            return List.of(answer);
        }
        return answer.path(itemsMember).valueStream().toList();
    }

    /**
     * Checks what was typed and returns the call to make for each credential; every mistake is an
     * {@link InvalidRequestException} naming the input, before any CRM is called.
     */
    public Call prepare(Map<Input, String> values) {
        return prepare(new Inputs(this, values));
    }

    abstract Call prepare(Inputs in);

    /** One operation, its inputs checked, ready to run against one credential. */
    @FunctionalInterface
    public interface Call {
        Object run(UniversalCrm crm, UniversalCrm.Caller caller);
    }

    /** What an operation may ask for; the label is what the console shows and every message names. */
    public enum Input {
        LIMIT("Limit", "25"),
        EMAIL("E-mail", "mary@example.com"),
        PHONE("Phone", "555-555-1234"),
        Q("Search", "name"),
        UPDATED_SINCE("Updated since", "2026-01-31T00:00:00Z"),
        ID("Person id", "123"),
        TASK_ID("Task id", "310"),
        BODY("JSON body", """
                {"firstName": "Mary", "lastName": "Mcmillan",
                 "emails": [{"value": "mary@example.com", "isPrimary": true}]}"""),
        NOTE_BODY("JSON body", """
                {"personId": "123", "body": "Called, wants a viewing on Saturday."}"""),
        TASK_BODY("JSON body", """
                {"personId": "123", "title": "Call about the viewing", "dueAt": "2026-03-05T17:00:00Z"}""");

        private final String label;
        private final String example;

        Input(String label, String example) {
            this.label = label;
            this.example = example;
        }

        /** A JSON body rather than one line of text. */
        public boolean json() {
            return this == BODY || this == NOTE_BODY || this == TASK_BODY;
        }

        public String label() {
            return label;
        }

        public String example() {
            return example;
        }
    }

    /**
     * A column of the results table: its header, the member of a normalized record it shows, and whether that is
     * an ISO-8601 time (shown to the second, in UTC).
     */
    public record Column(String header, String path, boolean time) {

        static final List<Column> PERSON = List.of(new Column("Id", "id", false), new Column("Name", "name", false),
                new Column("E-mail", "emails.0.value", false), new Column("Phone", "phones.0.value", false),
                new Column("Stage", "stage", false), new Column("Updated", "updatedAt", true));
        static final List<Column> NOTE = List.of(new Column("Id", "id", false),
                new Column("Person", "personId", false), new Column("Note", "body", false),
                new Column("Created", "createdAt", true));
        static final List<Column> TASK = List.of(new Column("Id", "id", false),
                new Column("Person", "personId", false), new Column("Title", "title", false),
                new Column("Due", "dueAt", true), new Column("Done", "completed", false));
        static final List<Column> USER = List.of(new Column("Id", "id", false), new Column("Name", "name", false),
                new Column("E-mail", "email", false), new Column("Role", "role", false));
        private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneOffset.UTC);

        /** The column's text for one record: a value, or empty. */
        public String text(JsonNode record) {
            JsonNode node = record;
            for (String member : path.split("\\.")) {
                node = member.chars().allMatch(Character::isDigit) ? node.path(Integer.parseInt(member)) : node.path(member);
            }
            if (!node.isValueNode() || node.isNull()) {
                return "";
            }
            if (time) {
                try {
                    return SECONDS.format(Instant.parse(node.asString()));
                } catch (DateTimeParseException e) {
                    return node.asString();
                }
            }
            return node.asString();
        }
    }

    /** The typed values of one operation's inputs (absent or blank: not given). */
    static final class Inputs {

        private final ConsoleOperation operation;
        private final Map<Input, String> values;

        Inputs(ConsoleOperation operation, Map<Input, String> values) {
            this.operation = operation;
            this.values = values;
        }

        @Nullable String line(Input input) {
            String value = raw(input);
            return value == null ? null : TextInput.line(input.label(), value, MAX_TEXT);
        }

        String required(Input input) {
            String value = line(input);
            if (value == null) {
                throw new InvalidRequestException(input.label() + ": required for " + operation.label().toLowerCase());
            }
            return value;
        }

        @Nullable Integer limit() {
            String value = raw(Input.LIMIT);
            if (value == null) {
                return null;
            }
            try {
                int limit = Integer.parseInt(value);
                if (limit >= 1 && limit <= UniversalCrm.MAX_LIMIT) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below, as for a number out of range
            }
            throw new InvalidRequestException(Input.LIMIT.label() + ": a whole number from 1 to " + UniversalCrm.MAX_LIMIT);
        }

        @Nullable Instant instant(Input input) {
            String value = raw(input);
            if (value == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException(input.label() + ": an ISO-8601 time, e.g. " + input.example());
            }
        }

        /** A person's notes or tasks when the person id is given, else everyone's. */
        ListQuery forPerson() {
            String personId = line(Input.ID);
            return new ListQuery(limit(), null, personId == null ? Map.of() : Map.of("personId", personId));
        }

        <T> T body(Input input, Class<T> type) {
            String json = raw(input);
            if (json == null) {
                throw new InvalidRequestException(input.label() + ": required for " + operation.label().toLowerCase()
                        + ", e.g. " + input.example().replaceAll("\\s+", " "));
            }
            if (json.length() > MAX_BODY) {
                throw new InvalidRequestException(input.label() + ": at most " + MAX_BODY / 1024 + " KB");
            }
            try {
                T value = STRICT.readValue(json, type);
                if (value == null) {
                    throw new InvalidRequestException(input.label() + ": a JSON object, not null");
                }
                return value;
            } catch (UnrecognizedPropertyException e) {
                throw new InvalidRequestException(input.label() + ": unknown field \"" + e.getPropertyName()
                        + "\"; the fields are " + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf)
                        .sorted().toList()));
            } catch (MismatchedInputException e) {
                String at = path(e);
                throw new InvalidRequestException(input.label() + ": " + (at.isEmpty()
                        ? "must be a JSON object with the record's fields" : at + " has the wrong type"));
            } catch (JacksonException e) {
                var at = e.getLocation();
                throw new InvalidRequestException(input.label() + ": not valid JSON"
                        + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                        + " (" + e.getOriginalMessage() + ")");
            }
        }

        /** Where in the body a value was refused, e.g. {@code emails[0].value}. */
        private static String path(JacksonException e) {
            var at = new StringBuilder();
            for (var reference : e.getPath()) {
                if (reference.getPropertyName() != null) {
                    at.append(at.isEmpty() ? "" : ".").append(reference.getPropertyName());
                } else if (reference.getIndex() >= 0) {
                    at.append('[').append(reference.getIndex()).append(']');
                }
            }
            return at.toString();
        }

        private @Nullable String raw(Input input) {
            if (!operation.inputs.contains(input)) {
                return null;
            }
            String value = values.get(input);
            return value == null || value.isBlank() ? null : value.strip();
        }
    }
}
