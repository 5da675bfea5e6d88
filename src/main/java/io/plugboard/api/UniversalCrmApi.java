package io.plugboard.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import io.plugboard.sync.SyncedReads;
import io.plugboard.universal.ActivityInputRules;
import io.plugboard.universal.ListQuery;
import io.plugboard.universal.Note;
import io.plugboard.universal.NoteInput;
import io.plugboard.universal.PeopleQuery;
import io.plugboard.universal.Person;
import io.plugboard.universal.PersonInput;
import io.plugboard.universal.PersonInputRules;
import io.plugboard.universal.Task;
import io.plugboard.universal.TaskInput;
import io.plugboard.universal.UniversalCrm;
import io.plugboard.universal.UniversalException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Universal CRM API: the same paths and model whatever CRM the credential in {@code X-Credential-Id} is for.
 * An end user's token reaches only that end user's credentials (as with the proxy).
 */
@RestController
@RequestMapping(UniversalCrmApi.PREFIX)
@Tag(name = "Universal CRM", description = "One normalized API over every CRM a credential can be for")
class UniversalCrmApi {

    static final String PREFIX = "/api/v1/universal/crm";
    private static final int MAX_TEXT = 500;
    private static final int MAX_ID = 200;

    /** Where an answer comes from: synced (the store) or live (the CRM). */
    static final String DATA_HEADER = "X-Plugboard-Data";
    private static final String SYNCED_LIST = " Once the model is synced (Sync to DB, first backfill complete) the "
            + "answer comes from the synced records: header X-Plugboard-Data: synced, and syncedAt (when the last "
            + "complete pass ended) beside items and nextCursor; pages go newest change first.";

    private final SyncedReads crm;
    private final ApiTenant tenant;

    UniversalCrmApi(SyncedReads crm, ApiTenant tenant) {
        this.crm = crm;
        this.tenant = tenant;
    }

    @GetMapping("/people")
    @Operation(summary = "People (contacts, leads) in the connected CRM, a page at a time",
            description = "Filters the CRM cannot apply answer 501. nextCursor is opaque; pass it back as cursor."
                    + SYNCED_LIST + " tag, stage, assignedUserId and sort only synced records can serve: before, they "
                    + "answer 400 sync-required.",
            responses = @ApiResponse(responseCode = "200", description = "A page of people; from synced records also syncedAt",
                    headers = @Header(name = DATA_HEADER, description = "synced: from synced records; live: from the CRM",
                            schema = @Schema(allowableValues = {"synced", "live"})),
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UniversalPages.People.class))))
    ResponseEntity<Object> listPeople(
            @Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true, example = "cred_3f9a")
            @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
            @Parameter(description = "1 to 100, default 25") @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor,
            @Parameter(description = "ISO-8601, e.g. 2026-01-31T00:00:00Z: people changed since")
            @RequestParam(required = false) @Nullable String updatedSince,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable String phone,
            @Parameter(description = "Free text: the CRM's name search; when synced, part of a name, e-mail address or phone number")
            @RequestParam(required = false) @Nullable String q,
            @Parameter(description = "Synced only: people with this tag") @RequestParam(required = false) @Nullable String tag,
            @Parameter(description = "Synced only: people in this stage") @RequestParam(required = false) @Nullable String stage,
            @Parameter(description = "Synced only: people assigned to this CRM user")
            @RequestParam(required = false) @Nullable String assignedUserId,
            @Parameter(description = "Synced only: updatedAt (oldest change first) or -updatedAt (newest first, the default)")
            @RequestParam(required = false) @Nullable String sort,
            @Parameter(description = "original: add the CRM's untouched record") @RequestParam(required = false) @Nullable String include) {
        var query = new PeopleQuery(limit, TextInput.line("cursor", cursor, 8_000), instant(updatedSince),
                TextInput.line("email", email, MAX_TEXT), TextInput.line("phone", phone, MAX_TEXT),
                TextInput.line("q", q, MAX_TEXT));
        var only = new SyncedReads.StoreFilters(text("tag", tag, MAX_TEXT), text("stage", stage, MAX_TEXT),
                text("assignedUserId", assignedUserId, MAX_ID), text("sort", sort, MAX_ID));
        return answer(crm.people(caller(credentialId), query, only, original(include)));
    }

    @GetMapping("/people/{id}")
    @Operation(summary = "One person",
            description = "Once people are synced (Sync to DB, first backfill complete) the answer comes from the "
                    + "synced records: header X-Plugboard-Data: synced and syncedAt (when the record was last stored) "
                    + "beside the person's fields.",
            responses = @ApiResponse(responseCode = "200", description = "The person; from synced records also syncedAt",
                    headers = @Header(name = DATA_HEADER, description = "synced: from synced records; live: from the CRM",
                            schema = @Schema(allowableValues = {"synced", "live"})),
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Person.class))))
    ResponseEntity<Object> getPerson(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                     @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                     @PathVariable String id, @RequestParam(required = false) @Nullable String include) {
        return answer(crm.person(caller(credentialId), id, original(include)));
    }

    @PostMapping(path = "/people", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a person in the connected CRM")
    ResponseEntity<Person> createPerson(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                                        @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                                        @RequestParam(required = false) @Nullable String include,
                                        @RequestBody PersonInput person) {
        PersonInputRules.check(person, true);
        Person created = crm.createPerson(caller(credentialId), person, original(include));
        return ResponseEntity.created(URI.create(PREFIX + "/people/" + created.id())).body(created);
    }

    @PatchMapping(path = "/people/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change a person: only the fields sent are changed")
    Person updatePerson(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                        @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                        @PathVariable String id, @RequestParam(required = false) @Nullable String include,
                        @RequestBody PersonInput person) {
        PersonInputRules.check(person, false);
        return crm.updatePerson(caller(credentialId), id, person, original(include));
    }

    // ------------------------------------------------------------------ notes

    @GetMapping("/notes")
    @Operation(summary = "Notes in the connected CRM, a page at a time, optionally only a person's",
            description = "nextCursor is opaque; pass it back as cursor. A CRM that cannot list notes answers 501."
                    + SYNCED_LIST + " sort only synced records can serve: before, it answers 400 sync-required.",
            responses = @ApiResponse(responseCode = "200", description = "A page of notes; from synced records also syncedAt",
                    headers = @Header(name = DATA_HEADER, description = "synced: from synced records; live: from the CRM",
                            schema = @Schema(allowableValues = {"synced", "live"})),
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UniversalPages.Notes.class))))
    ResponseEntity<Object> listNotes(
            @Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true, example = "cred_3f9a")
            @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
            @Parameter(description = "The person whose notes to list", example = "123")
            @RequestParam(required = false) @Nullable String personId,
            @Parameter(description = "1 to 100, default 25") @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor,
            @Parameter(description = "Synced only: updatedAt (oldest change first) or -updatedAt (newest first, the default)")
            @RequestParam(required = false) @Nullable String sort,
            @Parameter(description = "original: add the CRM's untouched record") @RequestParam(required = false) @Nullable String include) {
        var only = new SyncedReads.StoreFilters(null, null, null, text("sort", sort, MAX_ID));
        return answer(crm.notes(caller(credentialId), listQuery(limit, cursor, personId), only, original(include)));
    }

    @PostMapping(path = "/notes", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Add a note to a person in the connected CRM")
    ResponseEntity<Note> createNote(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                                    @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                                    @RequestParam(required = false) @Nullable String include,
                                    @RequestBody NoteInput note) {
        Note created = crm.createNote(caller(credentialId), ActivityInputRules.note(note), original(include));
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    // ------------------------------------------------------------------ tasks

    @GetMapping("/tasks")
    @Operation(summary = "Tasks in the connected CRM, a page at a time, optionally only a person's",
            description = "nextCursor is opaque; pass it back as cursor. A CRM that cannot list tasks answers 501."
                    + SYNCED_LIST + " assignedUserId and sort only synced records can serve: before, they answer 400 "
                    + "sync-required.",
            responses = @ApiResponse(responseCode = "200", description = "A page of tasks; from synced records also syncedAt",
                    headers = @Header(name = DATA_HEADER, description = "synced: from synced records; live: from the CRM",
                            schema = @Schema(allowableValues = {"synced", "live"})),
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UniversalPages.Tasks.class))))
    ResponseEntity<Object> listTasks(
            @Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true, example = "cred_3f9a")
            @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
            @Parameter(description = "The person whose tasks to list", example = "123")
            @RequestParam(required = false) @Nullable String personId,
            @Parameter(description = "1 to 100, default 25") @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor,
            @Parameter(description = "Synced only: tasks assigned to this CRM user")
            @RequestParam(required = false) @Nullable String assignedUserId,
            @Parameter(description = "Synced only: updatedAt (oldest change first) or -updatedAt (newest first, the default)")
            @RequestParam(required = false) @Nullable String sort,
            @Parameter(description = "original: add the CRM's untouched record") @RequestParam(required = false) @Nullable String include) {
        var only = new SyncedReads.StoreFilters(null, null, text("assignedUserId", assignedUserId, MAX_ID),
                text("sort", sort, MAX_ID));
        return answer(crm.tasks(caller(credentialId), listQuery(limit, cursor, personId), only, original(include)));
    }

    @PostMapping(path = "/tasks", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a task about a person in the connected CRM")
    ResponseEntity<Task> createTask(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                                    @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                                    @RequestParam(required = false) @Nullable String include,
                                    @RequestBody TaskInput task) {
        Task created = crm.createTask(caller(credentialId), ActivityInputRules.task(task, true), original(include));
        return ResponseEntity.created(URI.create(PREFIX + "/tasks/" + created.id())).body(created);
    }

    @PatchMapping(path = "/tasks/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change a task, e.g. {\"completed\": true}: only the fields sent are changed")
    Task updateTask(@Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true)
                    @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
                    @PathVariable String id, @RequestParam(required = false) @Nullable String include,
                    @RequestBody TaskInput task) {
        return crm.updateTask(caller(credentialId), id, ActivityInputRules.task(task, false), original(include));
    }

    // ------------------------------------------------------------------ users

    @GetMapping("/users")
    @Operation(summary = "The CRM's users (agents, owners): whom people and tasks can be assigned to",
            description = "nextCursor is opaque; pass it back as cursor." + SYNCED_LIST,
            responses = @ApiResponse(responseCode = "200", description = "A page of users; from synced records also syncedAt",
                    headers = @Header(name = DATA_HEADER, description = "synced: from synced records; live: from the CRM",
                            schema = @Schema(allowableValues = {"synced", "live"})),
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UniversalPages.Users.class))))
    ResponseEntity<Object> listUsers(
            @Parameter(in = ParameterIn.HEADER, name = "X-Credential-Id", required = true, example = "cred_3f9a")
            @RequestHeader(name = "X-Credential-Id", required = false) @Nullable String credentialId,
            @Parameter(description = "1 to 100, default 25") @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor,
            @Parameter(description = "original: add the CRM's untouched record") @RequestParam(required = false) @Nullable String include) {
        return answer(crm.users(caller(credentialId), listQuery(limit, cursor, null), original(include)));
    }

    @ExceptionHandler(UniversalException.class)
    ResponseEntity<ProblemDetail> universal(UniversalException e) {
        var response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.status() == 429) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds() == null ? 1 : e.retryAfterSeconds()));
        }
        return response.body(Problems.of(HttpStatus.valueOf(e.status()), e.type(), e.getMessage()));
    }

    /**
     * The answer with where it comes from: synced ones carry syncedAt beside the record's or page's own members
     * (the records themselves are the same as the CRM's live answer would give).
     */
    private ResponseEntity<Object> answer(SyncedReads.Read<?> read) {
        var response = ResponseEntity.ok().header(DATA_HEADER, read.synced() ? "synced" : "live");
        if (read.syncedAt() == null) {
            return response.body(read.body());
        }
        return response.body(new SyncedAnswer(read.body(), read.syncedAt().toString()));
    }

    /** The members of a synced answer, then syncedAt: written straight out, with no tree built in between. */
    record SyncedAnswer(@JsonUnwrapped Object body, String syncedAt) {
    }

    private static @Nullable String text(String name, @Nullable String value, int max) {
        TextInput.line(name, value, max);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private UniversalCrm.Caller caller(@Nullable String credentialId) {
        if (credentialId == null || credentialId.isBlank()) {
            throw new UniversalException(400, "missing-credential",
                    "Send the credential of the CRM to use in the X-Credential-Id header.");
        }
        var principal = tenant.principal();
        return new UniversalCrm.Caller(principal.tenantId(), credentialId.strip(), "api:" + principal.subject());
    }

    private static boolean original(@Nullable String include) {
        if (include == null || include.isBlank()) {
            return false;
        }
        if (!include.strip().equals("original")) {
            throw new InvalidRequestException("include: the only value is original");
        }
        return true;
    }

    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("updatedSince: must be an ISO-8601 timestamp, e.g. 2026-01-31T00:00:00Z");
        }
    }

    private static ListQuery listQuery(@Nullable Integer limit, @Nullable String cursor, @Nullable String personId) {
        TextInput.line("cursor", cursor, 8_000);
        var filters = new LinkedHashMap<String, String>();
        if (TextInput.line("personId", personId, MAX_ID) != null && !personId.isBlank()) {
            filters.put("personId", personId.strip());
        }
        return new ListQuery(limit, cursor == null || cursor.isBlank() ? null : cursor, filters);
    }
}
