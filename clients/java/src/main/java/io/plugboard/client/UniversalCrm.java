package io.plugboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code /api/v1/universal/crm}: one CRM's records in the Universal model, whichever CRM the credential is for.
 * The credential chooses the CRM ({@code X-Credential-Id}); calls go through Plugboard's proxy, so tokens are
 * refreshed and calls logged as for {@link Proxy}. An operation the CRM cannot do is a 501
 * {@link PlugboardApiException}, the CRM's validation error a 422 with its message.
 */
public final class UniversalCrm {

    private static final String PEOPLE = "/api/v1/universal/crm/people";
    private static final String NOTES = "/api/v1/universal/crm/notes";
    private static final String TASKS = "/api/v1/universal/crm/tasks";
    private static final String USERS = "/api/v1/universal/crm/users";

    private final Http http;
    private final TokenSource token;
    private final Map<String, String> credential;

    UniversalCrm(Http http, TokenSource token, String credentialId) {
        this.http = http;
        this.token = token;
        this.credential = Map.of("X-Credential-Id", ApiTokens.requireText(credentialId, "credentialId"));
    }

    /** One page of people matching {@code query}; pass its {@code nextCursor} on for the next. */
    public PersonPage people(PeopleQuery query) {
        return http.call(token, "GET", PEOPLE + Http.query(query.parameters()), credential, null, PersonPage.class);
    }

    /** Every person matching {@code query}, page by page as the stream is consumed. */
    public Stream<Person> streamPeople(PeopleQuery query) {
        return CursorPages.stream(cursor -> {
            PersonPage page = people(query.cursor(cursor));
            return new CursorPages.Page<>(page.items(), page.nextCursor());
        });
    }

    public Person person(String id) {
        return http.call(token, "GET", PEOPLE + "/" + segment(id), credential, null, Person.class);
    }

    /** The person with {@link Person#original()}: the CRM's record as it answered. */
    public Person personWithOriginal(String id) {
        return http.call(token, "GET", PEOPLE + "/" + segment(id) + "?include=original", credential, null,
                Person.class);
    }

    public Person createPerson(PersonInput person) {
        return http.call(token, "POST", PEOPLE, credential, person, Person.class);
    }

    /** Changes only the fields {@code changes} sets; a list given replaces the CRM's list. */
    public Person updatePerson(String id, PersonInput changes) {
        return http.call(token, "PATCH", PEOPLE + "/" + segment(id), credential, changes, Person.class);
    }

    /** One page of notes; {@code personId} null for everyone's, {@code cursor} null for the first page. */
    public NotePage notes(String personId, Integer limit, String cursor) {
        return http.call(token, "GET", NOTES + Http.query(listParameters(personId, limit, cursor)), credential, null,
                NotePage.class);
    }

    /** Every note of the person, page by page as the stream is consumed. */
    public Stream<Note> streamNotes(String personId) {
        return CursorPages.stream(cursor -> {
            NotePage page = notes(personId, null, cursor);
            return new CursorPages.Page<>(page.items(), page.nextCursor());
        });
    }

    public Note createNote(String personId, String body) {
        return http.call(token, "POST", NOTES, credential, new NoteInput(ApiTokens.requireText(personId, "personId"),
                ApiTokens.requireText(body, "body")), Note.class);
    }

    /** One page of tasks; {@code personId} null for everyone's, {@code cursor} null for the first page. */
    public TaskPage tasks(String personId, Integer limit, String cursor) {
        return http.call(token, "GET", TASKS + Http.query(listParameters(personId, limit, cursor)), credential, null,
                TaskPage.class);
    }

    /** Every task of the person, page by page as the stream is consumed. */
    public Stream<Task> streamTasks(String personId) {
        return CursorPages.stream(cursor -> {
            TaskPage page = tasks(personId, null, cursor);
            return new CursorPages.Page<>(page.items(), page.nextCursor());
        });
    }

    public Task createTask(TaskInput task) {
        return http.call(token, "POST", TASKS, credential, task, Task.class);
    }

    /** Changes only the fields {@code changes} sets. */
    public Task updateTask(String id, TaskInput changes) {
        return http.call(token, "PATCH", TASKS + "/" + segment(id), credential, changes, Task.class);
    }

    public Task completeTask(String id) {
        return updateTask(id, new TaskInput(null, null, null, null, true, null));
    }

    /** One page of the CRM's users (agents, owners); {@code cursor} null for the first page. */
    public UserPage users(Integer limit, String cursor) {
        return http.call(token, "GET", USERS + Http.query(listParameters(null, limit, cursor)), credential, null,
                UserPage.class);
    }

    /** Every user of the CRM, page by page as the stream is consumed. */
    public Stream<User> streamUsers() {
        return CursorPages.stream(cursor -> {
            UserPage page = users(null, cursor);
            return new CursorPages.Page<>(page.items(), page.nextCursor());
        });
    }

    private static Map<String, String> listParameters(String personId, Integer limit, String cursor) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("personId", personId);
        parameters.put("limit", limit == null ? null : limit.toString());
        parameters.put("cursor", cursor);
        return parameters;
    }

    private static String segment(String id) {
        return URLEncoder.encode(ApiTokens.requireText(id, "id"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A person (contact, lead) as the Universal API models it; {@code original} only when asked for. */
    public record Person(String id, String firstName, String lastName, String name, List<ContactPoint> emails,
                         List<ContactPoint> phones, List<Address> addresses, List<String> tags, String stage,
                         String source, String assignedUserId, Instant createdAt, Instant updatedAt,
                         Map<String, String> originalIds, JsonNode original) {

        public Person {
            emails = emails == null ? List.of() : List.copyOf(emails);
            phones = phones == null ? List.of() : List.copyOf(phones);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            tags = tags == null ? List.of() : List.copyOf(tags);
            originalIds = originalIds == null ? Map.of() : Map.copyOf(originalIds);
            // The API sends "original": null when it was not asked for; a JSON null is not a record.
            original = original == null || original.isNull() ? null : original;
        }
    }

    /** A note on a person; {@code original} only when asked for. */
    public record Note(String id, String personId, String body, Instant createdAt, Instant updatedAt,
                       String createdByUserId, Map<String, String> originalIds, JsonNode original) {

        public Note {
            originalIds = originalIds == null ? Map.of() : Map.copyOf(originalIds);
            original = original == null || original.isNull() ? null : original;
        }
    }

    record NoteInput(String personId, String body) {
    }

    /** A task (a to-do, a follow-up) about a person. */
    public record Task(String id, String personId, String title, String description, Instant dueAt,
                       boolean completed, Instant completedAt, String assignedUserId, Instant createdAt,
                       Instant updatedAt, Map<String, String> originalIds, JsonNode original) {

        public Task {
            originalIds = originalIds == null ? Map.of() : Map.copyOf(originalIds);
            original = original == null || original.isNull() ? null : original;
        }
    }

    /** A task to create, or the fields to change (null: left as it is). */
    public record TaskInput(String personId, String title, String description, Instant dueAt, Boolean completed,
                            String assignedUserId) {

        public static TaskInput about(String personId, String title) {
            return new TaskInput(personId, title, null, null, null, null);
        }

        public TaskInput due(Instant when) {
            return new TaskInput(personId, title, description, when, completed, assignedUserId);
        }

        public TaskInput assignedTo(String userId) {
            return new TaskInput(personId, title, description, dueAt, completed, userId);
        }
    }

    /** One of the CRM's users: an agent or owner people and tasks can be assigned to. */
    public record User(String id, String name, String firstName, String lastName, String email, String role,
                       Boolean active, Map<String, String> originalIds, JsonNode original) {

        public User {
            originalIds = originalIds == null ? Map.of() : Map.copyOf(originalIds);
            original = original == null || original.isNull() ? null : original;
        }
    }

    public record NotePage(List<Note> items, String nextCursor) {

        public NotePage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    public record TaskPage(List<Task> items, String nextCursor) {

        public TaskPage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    public record UserPage(List<User> items, String nextCursor) {

        public UserPage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** An e-mail address or phone number. */
    public record ContactPoint(String value, String type, boolean isPrimary) {
    }

    public record Address(String type, String street, String city, String state, String postalCode, String country) {
    }

    /** A person to create, or the fields to change (null: left as it is). */
    public record PersonInput(String firstName, String lastName, String name, List<ContactPoint> emails,
                              List<ContactPoint> phones, List<Address> addresses, List<String> tags, String stage,
                              String source, String assignedUserId) {

        public static PersonInput named(String firstName, String lastName) {
            return new PersonInput(firstName, lastName, null, null, null, null, null, null, null, null);
        }

        public PersonInput withEmail(String email) {
            return new PersonInput(firstName, lastName, name, List.of(new ContactPoint(email, null, true)), phones,
                    addresses, tags, stage, source, assignedUserId);
        }

        public PersonInput withStage(String newStage) {
            return new PersonInput(firstName, lastName, name, emails, phones, addresses, tags, newStage, source,
                    assignedUserId);
        }
    }

    /** One page of people; {@code nextCursor} is null on the last. */
    public record PersonPage(List<Person> items, String nextCursor) {

        public PersonPage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** Filters for {@link #people}: all optional, combined with AND where the CRM can. */
    public record PeopleQuery(Integer limit, String cursor, Instant updatedSince, String email, String phone,
                              String q) {

        public static PeopleQuery all() {
            return new PeopleQuery(null, null, null, null, null, null);
        }

        public PeopleQuery limit(int newLimit) {
            return new PeopleQuery(newLimit, cursor, updatedSince, email, phone, q);
        }

        public PeopleQuery cursor(String newCursor) {
            return new PeopleQuery(limit, newCursor, updatedSince, email, phone, q);
        }

        public PeopleQuery updatedSince(Instant since) {
            return new PeopleQuery(limit, cursor, since, email, phone, q);
        }

        public PeopleQuery email(String newEmail) {
            return new PeopleQuery(limit, cursor, updatedSince, newEmail, phone, q);
        }

        public PeopleQuery phone(String newPhone) {
            return new PeopleQuery(limit, cursor, updatedSince, email, newPhone, q);
        }

        public PeopleQuery q(String text) {
            return new PeopleQuery(limit, cursor, updatedSince, email, phone, text);
        }

        Map<String, String> parameters() {
            var parameters = new LinkedHashMap<String, String>();
            parameters.put("limit", limit == null ? null : limit.toString());
            parameters.put("cursor", cursor);
            parameters.put("updatedSince", updatedSince == null ? null : updatedSince.toString());
            parameters.put("email", email);
            parameters.put("phone", phone);
            parameters.put("q", q);
            return parameters;
        }
    }
}
