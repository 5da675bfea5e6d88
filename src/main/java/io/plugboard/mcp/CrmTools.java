package io.plugboard.mcp;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import io.plugboard.credential.CredentialFilter;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.sync.SyncedReads;
import io.plugboard.universal.ActivityInputRules;
import io.plugboard.universal.ListQuery;
import io.plugboard.universal.NoteInput;
import io.plugboard.universal.PeopleQuery;
import io.plugboard.universal.PersonInput;
import io.plugboard.universal.PersonInputRules;
import io.plugboard.universal.TaskInput;
import io.plugboard.universal.UniversalCrm;
import io.plugboard.universal.UniversalMappings;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP tools over the Universal CRM API. Each reads its arguments as the REST endpoint reads its request, then
 * calls the same service ({@link SyncedReads}, {@link CredentialService}) as the API client of the HTTP request:
 * reads of a synced model answer from the synced records as the REST API's do, with {@code syncedAt}. Refusals
 * become tool errors ({@code isError}) carrying the REST API's problem.
 */
@Component
class CrmTools {

    static final String LIST_CREDENTIALS = "list_crm_credentials";
    static final String SEARCH_PEOPLE = "search_people";
    static final String PERSON_OVERVIEW = "get_person_overview";
    static final String CREATE_PERSON = "create_person";
    static final String CREATE_NOTE = "create_note";
    static final String CREATE_TASK = "create_task";

    private static final int DEFAULT_CREDENTIALS = 25;
    private static final int MAX_CREDENTIALS = 100;
    private static final int MAX_CURSOR = 8_000;
    private static final int OVERVIEW_NOTES = 5;
    private static final int MAX_NOTE = 20_000;
    private static final int OVERVIEW_TASKS = 25;

    private final SyncedReads crm;
    private final UniversalMappings mappings;
    private final CredentialService credentials;
    private final JsonMapper json;

    CrmTools(SyncedReads crm, UniversalMappings mappings, CredentialService credentials) {
        this.crm = crm;
        this.mappings = mappings;
        this.credentials = credentials;
        this.json = McpConfiguration.JSON;
    }

    /** A tool's work, as the request's API client; its answer becomes the tool's structured result. */
    private interface Work {
        Object run(ApiPrincipal principal, ToolArguments arguments);
    }

    List<SyncToolSpecification> specifications(McpJsonMapper mapper) {
        return List.of(
                tool(mapper, LIST_CREDENTIALS, "List CRM connections", """
                        The CRM accounts (credentials) this token may use through the Universal CRM API: their id \
                        (pass it as credentialId to the other tools), connector, status and end user. An end user's \
                        token sees only that end user's. A page may hold fewer than limit; go on while nextCursor is \
                        not null.""", """
                        {"type": "object", "properties": {
                          "connector": {"type": "string", "description": "Only this connector's credentials (appKey, e.g. followupboss)"},
                          "limit": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Default 25"},
                          "cursor": {"type": "string", "description": "nextCursor of the previous page"}}}""",
                        true, this::listCredentials),
                tool(mapper, SEARCH_PEOPLE, "Search people in a CRM", """
                        People (contacts, leads) in the CRM behind credentialId, in the Universal CRM model, found by \
                        e-mail, phone or free text; with no filter, everyone a page at a time. A filter the CRM \
                        cannot apply is an error naming it. When the credential's people are synced (Sync to DB), \
                        the answer comes from the synced records, newest change first, with syncedAt (when the last \
                        complete pass ended); tag, stage and assignedUserId work only then.""", """
                        {"type": "object", "required": ["credentialId"], "properties": {
                          "credentialId": {"type": "string", "description": "cred_… from list_crm_credentials"},
                          "email": {"type": "string"},
                          "phone": {"type": "string"},
                          "q": {"type": "string", "description": "Free text: the CRM's own name search; when synced, part of a name, e-mail address or phone number"},
                          "tag": {"type": "string", "description": "Synced only: people with this tag"},
                          "stage": {"type": "string", "description": "Synced only: people in this stage"},
                          "assignedUserId": {"type": "string", "description": "Synced only: people assigned to this CRM user"},
                          "updatedSince": {"type": "string", "description": "ISO-8601, e.g. 2026-01-31T00:00:00Z"},
                          "limit": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Default 25"},
                          "cursor": {"type": "string", "description": "nextCursor of the previous page, with the same filters"}}}""",
                        true, this::searchPeople),
                tool(mapper, PERSON_OVERVIEW, "Overview of a person", """
                        One person of the CRM behind credentialId by id (from search_people): names, e-mail \
                        addresses, phones, addresses, tags, stage, source, owner and dates; with the first notes the \
                        CRM lists for them (up to 5) and their open tasks (from the first 25). Where the CRM cannot \
                        list notes or tasks, that member says why instead.""", """
                        {"type": "object", "required": ["credentialId", "personId"], "properties": {
                          "credentialId": {"type": "string", "description": "cred_… from list_crm_credentials"},
                          "personId": {"type": "string", "description": "The person's id in the CRM"}}}""",
                        true, this::personOverview),
                tool(mapper, CREATE_PERSON, "Create a person in a CRM", """
                        Creates a person (contact, lead) in the CRM behind credentialId and returns them as the CRM \
                        stored them. Needs a name, an e-mail address or a phone number.""", """
                        {"type": "object", "required": ["credentialId"], "properties": {
                          "credentialId": {"type": "string", "description": "cred_… from list_crm_credentials"},
                          "firstName": {"type": "string"},
                          "lastName": {"type": "string"},
                          "name": {"type": "string", "description": "Full name, for CRMs that keep one"},
                          "emails": {"type": "array", "items": {"$ref": "#/$defs/contactPoint"}},
                          "phones": {"type": "array", "items": {"$ref": "#/$defs/contactPoint"}},
                          "addresses": {"type": "array", "items": {"type": "object", "properties": {
                            "type": {"type": "string"}, "street": {"type": "string"}, "city": {"type": "string"},
                            "state": {"type": "string"}, "postalCode": {"type": "string"}, "country": {"type": "string"}}}},
                          "tags": {"type": "array", "items": {"type": "string"}},
                          "stage": {"type": "string"},
                          "source": {"type": "string"},
                          "assignedUserId": {"type": "string", "description": "The CRM user (agent, owner) to assign"}},
                         "$defs": {"contactPoint": {"type": "object", "required": ["value"], "properties": {
                           "value": {"type": "string"}, "type": {"type": "string", "description": "e.g. home, work, mobile"},
                           "isPrimary": {"type": "boolean"}}}}}""",
                        false, this::createPerson),
                tool(mapper, CREATE_NOTE, "Add a note to a person", """
                        Adds a note to a person (by id, from search_people) in the CRM behind credentialId and \
                        returns it as the CRM stored it.""", """
                        {"type": "object", "required": ["credentialId", "personId", "body"], "properties": {
                          "credentialId": {"type": "string", "description": "cred_… from list_crm_credentials"},
                          "personId": {"type": "string", "description": "The person's id in the CRM"},
                          "body": {"type": "string", "description": "The note's text"}}}""",
                        false, this::createNote),
                tool(mapper, CREATE_TASK, "Create a task about a person", """
                        Creates a task (a to-do, a follow-up) about a person (by id, from search_people) in the CRM \
                        behind credentialId and returns it as the CRM stored it.""", """
                        {"type": "object", "required": ["credentialId", "personId", "title"], "properties": {
                          "credentialId": {"type": "string", "description": "cred_… from list_crm_credentials"},
                          "personId": {"type": "string", "description": "The person's id in the CRM"},
                          "title": {"type": "string"},
                          "description": {"type": "string"},
                          "dueAt": {"type": "string", "description": "ISO-8601 with an offset, e.g. 2026-03-05T17:00:00Z"},
                          "assignedUserId": {"type": "string", "description": "The CRM user (agent, owner) to assign"}}}""",
                        false, this::createTask));
    }

    // ------------------------------------------------------------------ the tools

    private Object listCredentials(ApiPrincipal principal, ToolArguments arguments) {
        String connector = arguments.text("connector", TextInput.MAX_KEY);
        if (connector != null && !mappings.maps(connector)) {
            throw new InvalidRequestException("connector: " + connector + " is not a CRM the Universal CRM API maps; "
                    + "CRMs it maps: " + mappings.appKeys());
        }
        Integer limit = arguments.integer("limit");
        if (limit != null && (limit < 1 || limit > MAX_CREDENTIALS)) {
            throw new InvalidRequestException("limit: must be from 1 to " + MAX_CREDENTIALS);
        }
        var filter = new CredentialFilter(connector, null, null, null, null, null, null, null);
        var page = credentials.listAfter(principal.tenantId(), filter, arguments.text("cursor", MAX_CURSOR),
                limit == null ? DEFAULT_CREDENTIALS : limit);
        var items = page.items().stream().filter(c -> mappings.maps(c.appKey()))
                .map(c -> new CrmCredential(c.id(), c.appKey(), c.status(), c.endUserId(), c.label())).toList();
        return new CrmCredentials(items, page.nextCursor());
    }

    private Object searchPeople(ApiPrincipal principal, ToolArguments arguments) {
        var query = new PeopleQuery(arguments.integer("limit"), arguments.text("cursor", MAX_CURSOR),
                instant(arguments.text("updatedSince", ToolArguments.MAX_TEXT)),
                arguments.text("email", ToolArguments.MAX_TEXT), arguments.text("phone", ToolArguments.MAX_TEXT),
                arguments.text("q", ToolArguments.MAX_TEXT));
        var only = new SyncedReads.StoreFilters(arguments.text("tag", ToolArguments.MAX_TEXT),
                arguments.text("stage", ToolArguments.MAX_TEXT), arguments.text("assignedUserId", ToolArguments.MAX_TEXT),
                null);
        return answer(crm.people(caller(principal, arguments), query, only, false));
    }

    /** A synced answer carries syncedAt beside its members, as the REST API's does; a live one is as the CRM gave it. */
    private static Object answer(SyncedReads.Read<?> read) {
        return read.syncedAt() == null ? read.body() : new Synced(read.body(), read.syncedAt().toString());
    }

    record Synced(@JsonUnwrapped Object body, String syncedAt) {
    }

    private Object personOverview(ApiPrincipal principal, ToolArguments arguments) {
        var caller = caller(principal, arguments);
        String personId = arguments.required("personId", ToolArguments.MAX_TEXT);
        var person = crm.person(caller, personId, false).body();
        var forPerson = Map.of("personId", personId);
        var notes = PersonOverview.Part.of(() -> crm.notes(caller, new ListQuery(OVERVIEW_NOTES, null, forPerson),
                SyncedReads.StoreFilters.NONE, false).body().items());
        var openTasks = PersonOverview.Part.of(() -> crm.tasks(caller, new ListQuery(OVERVIEW_TASKS, null, forPerson),
                SyncedReads.StoreFilters.NONE, false).body().items().stream().filter(task -> !task.completed()).toList());
        return new PersonOverview(person, notes, openTasks);
    }

    private Object createNote(ApiPrincipal principal, ToolArguments arguments) {
        var caller = caller(principal, arguments);
        var note = new NoteInput(arguments.text("personId", ToolArguments.MAX_TEXT), arguments.text("body", MAX_NOTE));
        return crm.createNote(caller, ActivityInputRules.note(note), false);
    }

    private Object createTask(ApiPrincipal principal, ToolArguments arguments) {
        var caller = caller(principal, arguments);
        var task = new TaskInput(arguments.text("personId", ToolArguments.MAX_TEXT),
                arguments.text("title", ToolArguments.MAX_TEXT), arguments.text("description", MAX_NOTE),
                arguments.text("dueAt", ToolArguments.MAX_TEXT), null, arguments.text("assignedUserId", ToolArguments.MAX_TEXT));
        return crm.createTask(caller, ActivityInputRules.task(task, true), false);
    }

    private Object createPerson(ApiPrincipal principal, ToolArguments arguments) {
        var caller = caller(principal, arguments);
        var fields = new LinkedHashMap<>(arguments.all());
        fields.remove("credentialId");
        PersonInput person;
        try {
            person = json.convertValue(fields, PersonInput.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InvalidRequestException("arguments: not a person in the Universal CRM model (names are strings; "
                    + "emails and phones lists of {value, type, isPrimary}; tags a list of strings)");
        }
        PersonInputRules.check(person, true);
        return crm.createPerson(caller, person, false);
    }

    // ------------------------------------------------------------------ shared

    /** A CRM connection as the tools show it: never its secrets or settings. */
    record CrmCredential(String id, String connector, CredentialStatus status, String endUserId,
                         @Nullable String label) {
    }

    record CrmCredentials(List<CrmCredential> items, @Nullable String nextCursor) {
    }

    private static UniversalCrm.Caller caller(ApiPrincipal principal, ToolArguments arguments) {
        String credentialId = arguments.required("credentialId", TextInput.MAX_KEY);
        return new UniversalCrm.Caller(principal.tenantId(), credentialId, "mcp:" + principal.subject());
    }

    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("updatedSince: must be an ISO-8601 timestamp, e.g. 2026-01-31T00:00:00Z");
        }
    }

    private SyncToolSpecification tool(McpJsonMapper mapper, String name, String title, String description,
                                       String inputSchema, boolean readOnly, Work work) {
        var tool = Tool.builder().name(name).title(title).description(description)
                .inputSchema(mapper, inputSchema)
                // Reads change nothing and may be repeated; creating a person is not idempotent. Every tool reaches
                // a CRM outside Plugboard.
                .annotations(new ToolAnnotations(title, readOnly, false, readOnly, true, null))
                .build();
        return new SyncToolSpecification(tool, (context, request) -> call(context, request, work));
    }

    private CallToolResult call(McpTransportContext context, CallToolRequest request, Work work) {
        try {
            Object result = McpCaller.as(context,
                    () -> work.run(McpCaller.principal(context), new ToolArguments(request.arguments())));
            return CallToolResult.builder().addTextContent(json.writeValueAsString(result)).structuredContent(result)
                    .build();
        } catch (RuntimeException e) {
            var failure = ToolFailure.of(e);
            return CallToolResult.builder().isError(true).addTextContent(failure.detail())
                    .structuredContent(failure.problem()).build();
        }
    }
}
