package io.plugboard.universal;

import io.plugboard.credential.ConnectionFields;
import io.plugboard.credential.CredentialAccess;
import io.plugboard.proxy.CallSource;
import io.plugboard.proxy.ProviderWait;
import io.plugboard.proxy.ProxyProperties;
import io.plugboard.proxy.ProxyRequest;
import io.plugboard.proxy.ProxyService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Universal CRM engine: turns a normalized request into the connected CRM's own, as its mapping says, makes
 * it through {@link ProxyService} (same SSRF checks, token refresh, retries and call log as the raw proxy, logged
 * with source UNIVERSAL) and turns the answer back into the normalized model.
 */
@Service
public class UniversalCrm {

    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 100;
    /** Larger provider answers are refused rather than held in memory whole. */
    private static final int MAX_ANSWER = 16 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A page state past what page numbers reach: the number and the provider's token follow it ({@link CrmMapping.TokenPast}). */
    private static final String PAGE_TOKEN = "token:";

    private final ProxyService proxy;
    private final UniversalMappings mappings;
    private final Cursors cursors;
    private final ProxyProperties proxyProperties;

    UniversalCrm(ProxyService proxy, UniversalMappings mappings, Cursors cursors, ProxyProperties proxyProperties) {
        this.proxy = proxy;
        this.mappings = mappings;
        this.cursors = cursors;
        this.proxyProperties = proxyProperties;
    }

    /** Who asks and through which credential; {@code actor} goes to the call log. */
    public record Caller(UUID tenantId, String credentialId, String actor) {
    }

    // ------------------------------------------------------------------ people

    public PersonPage listPeople(Caller caller, PeopleQuery query, boolean includeOriginal) {
        var filters = new LinkedHashMap<String, String>();
        if (query.updatedSince() != null) {
            filters.put("updatedSince", query.updatedSince().toString());
        }
        putIfPresent(filters, "email", query.email());
        putIfPresent(filters, "phone", query.phone());
        putIfPresent(filters, "q", query.q());
        var page = list(caller, CrmMapping.Kind.PEOPLE, new ListQuery(query.limit(), query.cursor(), filters),
                PersonTranslation::read, includeOriginal);
        return new PersonPage(page.items(), page.nextCursor());
    }

    public Person getPerson(Caller caller, String id, boolean includeOriginal) {
        return get(caller, CrmMapping.Kind.PEOPLE, id, PersonTranslation::read, includeOriginal);
    }

    public Person createPerson(Caller caller, PersonInput input, boolean includeOriginal) {
        return write(caller, CrmMapping.Kind.PEOPLE, null, PersonTranslation.scalars(input),
                model -> PersonTranslation.write(model, input, true), PersonTranslation::read, includeOriginal);
    }

    public Person updatePerson(Caller caller, String id, PersonInput input, boolean includeOriginal) {
        return write(caller, CrmMapping.Kind.PEOPLE, id, PersonTranslation.scalars(input),
                model -> PersonTranslation.write(model, input, false), PersonTranslation::read, includeOriginal);
    }

    // ------------------------------------------------------------------ notes, tasks, users

    public Page<Note> listNotes(Caller caller, ListQuery query, boolean includeOriginal) {
        return list(caller, CrmMapping.Kind.NOTES, query, RecordTranslation.NOTE,
                includeOriginal);
    }

    public Note createNote(Caller caller, NoteInput input, boolean includeOriginal) {
        return write(caller, CrmMapping.Kind.NOTES, null, input.values(),
                model -> RecordTranslation.write(CrmMapping.Kind.NOTES, model, input.values(), true),
                RecordTranslation.NOTE, includeOriginal);
    }

    public Page<Task> listTasks(Caller caller, ListQuery query, boolean includeOriginal) {
        return list(caller, CrmMapping.Kind.TASKS, query, RecordTranslation.TASK,
                includeOriginal);
    }

    public Task createTask(Caller caller, TaskInput input, boolean includeOriginal) {
        return write(caller, CrmMapping.Kind.TASKS, null, input.values(),
                model -> RecordTranslation.write(CrmMapping.Kind.TASKS, model, input.values(), true),
                RecordTranslation.TASK, includeOriginal);
    }

    public Task updateTask(Caller caller, String id, TaskInput input, boolean includeOriginal) {
        return write(caller, CrmMapping.Kind.TASKS, id, input.values(),
                model -> RecordTranslation.write(CrmMapping.Kind.TASKS, model, input.values(), false),
                RecordTranslation.TASK, includeOriginal);
    }

    public Page<User> listUsers(Caller caller, ListQuery query, boolean includeOriginal) {
        return list(caller, CrmMapping.Kind.USERS, query, RecordTranslation.USER,
                includeOriginal);
    }

    // ------------------------------------------------------------------ the operations, for any model

    /**
     * A CRM's record in one of the Universal models; {@code original}, the CRM's record as it came, is kept in the
     * result when not null (the record read may be a copy holding what the request says of it).
     */
    @FunctionalInterface
    interface Reader<T> {
        T read(CrmMapping.Model model, JsonNode record, @Nullable JsonNode original);
    }

    private <T> Page<T> list(Caller caller, CrmMapping.Kind kind, ListQuery query, Reader<T> reader,
                             boolean includeOriginal) {
        var crm = open(caller);
        String what = "list " + kind.section();
        var model = crm.model(kind, what);
        var list = crm.require(model.list(), what);
        Cursors.Query wanted = new Cursors.Query(kind.section(), limit(query.limit()), query.filters());
        Cursors.Query effective = wanted;
        String state = null;
        if (query.cursor() != null) {
            var opened = cursors.open(query.cursor(), caller.credentialId());
            effective = opened.query();
            if (!continues(wanted, effective, query.limit() != null)) {
                throw new UniversalException(400, "invalid-cursor",
                        "cursor: it continues another query; send the cursor with the same filters and limit, or alone.");
            }
            state = opened.state();
        }
        var request = requestFor(crm, kind, list, effective);
        int limit = Math.min(effective.limit(), request.maxLimit());
        var cap = request.paging().cap();
        // A capped query's cursor also holds how far the query has read and where it restarted.
        CapState capped = cap == null ? null : CapState.of(state);
        if (capped != null) {
            state = capped.token();
        }
        String path;
        String rawQuery;
        byte[] body = null;
        Map<String, String> headers = Map.of();
        if (state != null && request.paging().style() == CrmMapping.Paging.Style.nextLink) {
            int q = state.indexOf('?');
            path = q < 0 ? state : state.substring(0, q);
            rawQuery = q < 0 ? null : state.substring(q + 1);
        } else {
            var params = new Parameters(request);
            if (request.limitParam() != null) {
                params.put(request.limitParam(), JSON.getNodeFactory().numberNode(limit));
            }
            for (String filter : kind.filters()) {
                filter(crm, kind, request, params, filter, effective.filters().get(filter));
            }
            if (capped != null && capped.since() != null) {
                apply(crm, kind, request, params, "the result cap's restart", cap.restart(), capped.since());
            }
            if (state != null && request.paging().style() == CrmMapping.Paging.Style.keyset) {
                params.clauses.add(QueryStatements.clause(Objects.requireNonNull(request.query()).literals(),
                        Objects.requireNonNull(request.paging().clause()), state));
            } else if (state != null && request.paging().tokenPast() != null && tokenIn(state) != null) {
                params.put(request.paging().tokenPast().param(), JSON.getNodeFactory().stringNode(tokenIn(state)));
            } else if (state != null && request.paging().style() != CrmMapping.Paging.Style.none) {
                params.put(Objects.requireNonNull(request.paging().param()), JSON.getNodeFactory().stringNode(state));
            }
            if (request.query() != null) {
                params.put(request.query().param(), JSON.getNodeFactory().stringNode(
                        QueryStatements.statement(request.query(), params.clauses, limit)));
            }
            path = filled(request.path(), params.pathValues);
            rawQuery = query(params.query);
            body = params.body == null ? null : JSON.writeValueAsBytes(params.body);
            headers = params.headers;
        }
        var answer = crm.call(model, request.method(), path, rawQuery, headers, body, what);
        JsonNode records = JsonPaths.at(answer.body(), request.records());
        if (records.isMissingNode() || records.isNull()) {
            // Some CRMs leave the member out, or answer 204 without a body, when nothing matches.
            return new Page<>(List.of(), null);
        }
        if (!records.isArray()) {
            throw new UniversalException(502, "provider-answer-unreadable",
                    crm.name() + " answered without its list of records (" + request.records() + ").");
        }
        var shaped = model.readingAs(request.shape());
        var items = new ArrayList<T>(records.size());
        String next;
        if (request.paging().style() == CrmMapping.Paging.Style.none) {
            // The CRM answers the whole list (Pipedrive's users): pages of the size asked for are cut from it, the
            // cursor holding where the next one starts.
            int from = state == null ? 0 : offsetIn(state);
            int to = Math.min(records.size(), from + limit);
            for (int i = from; i < to; i++) {
                items.add(readListed(reader, kind, shaped, records.get(i), request, effective, includeOriginal));
            }
            next = to < records.size() ? String.valueOf(to) : null;
        } else {
            for (JsonNode entry : records) {
                items.add(readListed(reader, kind, shaped, entry, request, effective, includeOriginal));
            }
            next = nextState(crm, request, answer.body(), records, state, limit);
            if (capped != null) {
                next = capped.next(crm, cap, records, next, limit);
            }
        }
        return new Page<>(List.copyOf(items), next == null ? null
                : cursors.seal(caller.credentialId(), effective, next));
    }

    /**
     * One entry of a list's answer, read with what the query says of every record it lists (a person's notes are
     * that person's); {@code original} stays the CRM's own record.
     */
    private static <T> T readListed(Reader<T> reader, CrmMapping.Kind kind, CrmMapping.Model shaped, JsonNode entry,
                                    CrmMapping.ListOperation request, Cursors.Query query, boolean includeOriginal) {
        JsonNode record = JsonPaths.at(entry, request.record());
        return reader.read(shaped, AskedValues.filled(kind, shaped, record, query.filters()),
                includeOriginal ? record : null);
    }

    private <T> T get(Caller caller, CrmMapping.Kind kind, String id, Reader<T> reader, boolean includeOriginal) {
        return read(open(caller), kind, id, reader, includeOriginal);
    }

    private static <T> T read(Crm crm, CrmMapping.Kind kind, String id, Reader<T> reader, boolean includeOriginal) {
        String what = "get a " + kind.singular();
        var model = crm.model(kind, what);
        var get = crm.require(model.get(), what);
        var answer = crm.call(model, get.method(), byId(get.path(), id), query(get.params()), Map.of(), null, what);
        JsonNode record = JsonPaths.at(answer.body(), get.record());
        if (!record.isObject()) {
            // Some CRMs answer a missing record with 204 or an empty list rather than 404.
            throw new UniversalException(404, "not-found", crm.name() + " has no such record.");
        }
        return reader.read(model, record, includeOriginal ? record : null);
    }

    /**
     * Creates a record ({@code id} null) or changes one, with the body the mapping makes of the input: the
     * operation's template, the mapped fields over it. {@code values} are the input's single values by universal
     * field, for the template and the path.
     */
    private <T> T write(Caller caller, CrmMapping.Kind kind, @Nullable String id, Map<String, Object> values,
                        Function<CrmMapping.Model, ObjectNode> record, Reader<T> reader, boolean includeOriginal) {
        var crm = open(caller);
        String what = (id == null ? "create a " : "update a ") + kind.singular();
        var model = crm.model(kind, what);
        var operation = crm.require(id == null ? model.create() : model.update(), what);
        if (id != null) {
            values = new LinkedHashMap<>(values);
            values.put("id", id);
        }
        String path = filled(id == null ? operation.path() : byId(operation.path(), id),
                pathValues(crm, operation.path(), values, what));
        var template = WriteTemplates.apply(kind, model, operation.template(), values, Instant.now());
        var answer = crm.call(model, operation.method(), path, query(operation.params()), Map.of(),
                body(operation, WriteTemplates.merge(template.record(), record.apply(model)), template.top()), what);
        if (operation.readBack()) {
            // The CRM answers an id and a status, or nothing (Salesforce, Zoho, Lofty): read the record it keeps.
            String readId = id;
            if (readId == null) {
                readId = textAt(answer.body(), Objects.requireNonNull(operation.idAt()));
                if (readId == null) {
                    throw new UniversalException(502, "provider-answer-unreadable", crm.name() + " created the "
                            + kind.singular() + " without saying its id (" + operation.idAt() + ").");
                }
            }
            return read(crm, kind, readId, reader, includeOriginal);
        }
        JsonNode written = JsonPaths.at(answer.body(), operation.record());
        return reader.read(model, written, includeOriginal ? written : null);
    }

    // ------------------------------------------------------------------ the CRM behind a credential

    private Crm open(Caller caller) {
        CredentialAccess access = proxy.open(caller.tenantId(), caller.credentialId());
        String appKey = access.connector().appKey();
        CrmMapping mapping = mappings.forConnector(appKey).orElseThrow(() -> new UniversalException(400, "not-a-crm",
                "Credential " + caller.credentialId() + " is for " + access.connector().name() + " (" + appKey
                        + "), which the Universal CRM API does not map; CRMs it maps: " + mappings.appKeys() + "."));
        URI base = ConnectionFields.baseUrl(access.connector(), access.values());
        return new Crm(caller, access.connector().name(), appKey, mapping, base);
    }

    /** The CRM of one request: its mapping, its API's base URL, and calls through the proxy. */
    private final class Crm {

        private final Caller caller;
        private final String name;
        private final String appKey;
        private final CrmMapping mapping;
        private final URI base;

        Crm(Caller caller, String name, String appKey, CrmMapping mapping, URI base) {
            this.caller = caller;
            this.name = name;
            this.appKey = appKey;
            this.mapping = mapping;
            this.base = base;
        }

        String name() {
            return name;
        }

        CrmMapping.Model model(CrmMapping.Kind kind, String what) {
            return require(mapping.model(kind), what);
        }

        URI base() {
            return base;
        }

        <T> T require(@Nullable T operation, String what) {
            if (operation == null) {
                throw new UniversalException(501, "operation-not-supported",
                        name + " (" + appKey + ") cannot " + what + " through the Universal CRM API.");
            }
            return operation;
        }

        Answer call(CrmMapping.Model model, String method, String path, @Nullable String rawQuery,
                    Map<String, String> extraHeaders, byte @Nullable [] body, String what) {
            var headers = new LinkedHashMap<String, List<String>>();
            headers.put("Accept", List.of("application/json"));
            extraHeaders.forEach((name, value) -> headers.put(name, List.of(value)));
            if (body != null) {
                headers.put("Content-Type", List.of("application/json"));
            }
            var request = new ProxyRequest(method, path, rawQuery, headers, body == null ? null : ProxyRequest.bytes(body),
                    proxyProperties.defaultRetries(), CallSource.UNIVERSAL, caller.actor());
            var sink = new Capture();
            proxy.forward(caller.tenantId(), caller.credentialId(), request, ProxyService.newRequestId(), sink);
            return answer(model, sink, what);
        }

        private Answer answer(CrmMapping.Model model, Capture sink, String what) {
            int status = sink.status;
            JsonNode body;
            try {
                body = sink.body.size() == 0 ? JSON.missingNode() : JSON.readTree(sink.body.toByteArray());
            } catch (JacksonException e) {
                body = null;
            }
            if (status == 304) {
                // Only a list with an If-Modified-Since filter asks conditionally: nothing changed since then.
                return new Answer(status, JSON.missingNode());
            }
            if (status >= 200 && status < 300) {
                if (body == null) {
                    throw new UniversalException(502, "provider-answer-unreadable", name + " answered " + status
                            + " without JSON to " + what + ".");
                }
                return new Answer(status, body);
            }
            String message = body == null ? null : message(model, body);
            String said = message == null ? "" : ": " + message;
            throw switch (status) {
                case 404, 410 -> new UniversalException(404, "not-found", name + " has no such record" + said);
                case 429 -> new UniversalException(429, "rate-limited", name + " limits the rate of calls; try again later"
                        + said, sink.retryAfterSeconds());
                case 403 -> new UniversalException(403, "provider-forbidden", name + " does not let this credential do that"
                        + said);
                case 401 -> new UniversalException(502, "provider-refused", name + " refused the credential" + said);
                default -> status >= 400 && status < 500
                        ? new UniversalException(422, "provider-validation", message != null ? message
                        : name + " refused the request (" + status + ").")
                        : new UniversalException(502, "provider-error", name + " failed (" + status + ")" + said);
            };
        }

        private @Nullable String message(CrmMapping.Model model, JsonNode body) {
            if (model.errorMessage() != null) {
                String configured = textAt(body, model.errorMessage());
                if (configured != null) {
                    return configured;
                }
            }
            for (String path : List.of("message", "errorMessage", "error.message", "error_description", "error",
                    "errors.0.message", "errors.0")) {
                String text = textAt(body, path);
                if (text != null) {
                    return text;
                }
            }
            return null;
        }
    }

    private static @Nullable String textAt(JsonNode body, String path) {
        JsonNode node = body;
        for (String member : path.split("\\.")) {
            node = member.chars().allMatch(Character::isDigit) ? node.path(Integer.parseInt(member)) : node.path(member);
        }
        if (!node.isValueNode() || node.isNull() || node.asString().isBlank()) {
            return null;
        }
        String text = node.asString();
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    private record Answer(int status, JsonNode body) {
    }

    /** The provider's answer, held whole: the engine must read all of it to translate it. */
    private static final class Capture implements io.plugboard.proxy.ResponseSink {

        int status;
        Map<String, List<String>> headers = Map.of();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public OutputStream start(int status, Map<String, List<String>> headers, long contentLength) {
            this.status = status;
            this.headers = headers;
            if (contentLength > MAX_ANSWER) {
                throw new UniversalException(502, "provider-answer-too-large",
                        "The provider's answer is larger than " + MAX_ANSWER / (1024 * 1024) + " MB.");
            }
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    if (body.size() + length > MAX_ANSWER) {
                        throw new IOException("provider answer too large");
                    }
                    body.write(bytes, offset, length);
                }
            };
        }

        /** The wait the CRM asked for (Retry-After, a reset header…), in whole seconds rounded up; null: none. */
        @Nullable Long retryAfterSeconds() {
            return ProviderWait.requested(this::header, Clock.systemUTC())
                    .map(wait -> (wait.toMillis() + 999) / 1000).orElse(null);
        }

        private @Nullable String header(String name) {
            for (var entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return entry.getValue().getFirst();
                }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ requests

    private static int offsetIn(String state) {
        try {
            return Math.max(0, Integer.parseInt(state));
        } catch (NumberFormatException e) {
            throw new UniversalException(400, "invalid-cursor", "cursor: it does not continue this list.");
        }
    }

    private static int limit(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new UniversalException(400, "invalid-request", "limit: must be from 1 to " + MAX_LIMIT + ".");
        }
        return limit;
    }

    /** A cursor continues its own query: filters sent with it must be its own (or absent). */
    private static boolean continues(Cursors.Query sent, Cursors.Query cursor, boolean limitSent) {
        return sent.model().equals(cursor.model())
                && sent.filters().entrySet().stream().allMatch(f -> f.getValue().equals(cursor.filters().get(f.getKey())))
                && (!limitSent || sent.limit() == cursor.limit());
    }

    /**
     * The list when it applies every filter asked for, else the search serving them (a CRM whose list takes no
     * filters, HubSpot's, or only some, Pipedrive's). The choice depends only on the query, which a cursor holds,
     * so every page of a query comes from the same request.
     */
    private static CrmMapping.ListOperation requestFor(Crm crm, CrmMapping.Kind kind, CrmMapping.ListOperation list,
                                                      Cursors.Query query) {
        // In the model's order, not the map's: the answer (and a 501's message) must not change from run to run.
        var asked = new LinkedHashSet<String>();
        kind.filters().stream().filter(query.filters()::containsKey).forEach(asked::add);
        if (list.applies(asked)) {
            return list;
        }
        var search = list.search();
        if (search != null && search.applies(asked)) {
            return search;
        }
        var missing = new LinkedHashSet<>(list.required());
        missing.removeAll(asked);
        if (!missing.isEmpty() && list.filters().keySet().containsAll(asked)) {
            // A CRM listing these records only per person (a related list) cannot list them all.
            String needed = String.join(", ", missing);
            throw new UniversalException(400, "invalid-request", needed + ": " + crm.name() + " lists "
                    + kind.section() + " only for one " + needed + "; give it.");
        }
        if (search == null) {
            // The filter it cannot apply is named when the request is made.
            return list;
        }
        throw new UniversalException(501, "filter-not-supported", crm.name() + " cannot filter " + kind.section() + " by "
                + String.join(" and ", asked) + (asked.size() > 1 ? " together" : "")
                + " through the Universal CRM API.");
    }

    /**
     * A list request's parameters: query parameters, or members of the request body for a request with one
     * (dotted paths; a number segment is an array index).
     */
    private static final class Parameters {

        final Map<String, String> query = new LinkedHashMap<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<String> clauses = new ArrayList<>();
        final Map<String, String> pathValues = new LinkedHashMap<>();
        final @Nullable ObjectNode body;
        private final Set<String> setByFilters = new HashSet<>();

        Parameters(CrmMapping.ListOperation request) {
            body = request.body() == null ? null : (ObjectNode) request.body().deepCopy();
            request.params().forEach((name, value) -> put(name, JSON.getNodeFactory().stringNode(value)));
        }

        void put(String name, JsonNode value) {
            if (body == null) {
                query.put(name, value.asString());
            } else {
                JsonPaths.put(body, name, value);
            }
        }

        /** False when another filter already set this parameter: the CRM takes one of them only. */
        boolean putOnce(String name, JsonNode value) {
            if (!setByFilters.add(name)) {
                return false;
            }
            put(name, value);
            return true;
        }

        void add(String array, JsonNode item) {
            JsonPaths.array(Objects.requireNonNull(body), array).add(item);
        }
    }

    private static void filter(Crm crm, CrmMapping.Kind kind, CrmMapping.ListOperation request, Parameters params,
                               String name, @Nullable String value) {
        if (value == null) {
            return;
        }
        var filter = request.filters().get(name);
        if (filter == null) {
            throw new UniversalException(501, "filter-not-supported",
                    crm.name() + " cannot filter " + kind.section() + " by " + name + " through the Universal CRM API.");
        }
        apply(crm, kind, request, params, name, filter, value);
    }

    private static void apply(Crm crm, CrmMapping.Kind kind, CrmMapping.ListOperation request, Parameters params,
                              String name, CrmMapping.Filter filter, String value) {
        String written = filter.format() == CrmMapping.Filter.TimeFormat.epochMillis
                ? String.valueOf(Instant.parse(value).toEpochMilli()) : value;
        if (filter.param() != null && !params.putOnce(filter.param(), JSON.getNodeFactory().stringNode(written))) {
            throw new UniversalException(501, "filter-not-supported", crm.name() + " cannot combine filtering " + kind.section() + " by "
                    + name + " with another filter through the Universal CRM API.");
        }
        if (filter.add() != null) {
            params.add(filter.add(), withValue(Objects.requireNonNull(filter.item()), written));
        }
        if (filter.header() != null) {
            params.headers.put(filter.header(), written);
        }
        if (filter.inPath()) {
            params.pathValues.put(name, written);
        }
        if (filter.clause() != null) {
            params.clauses.add(QueryStatements.clause(Objects.requireNonNull(request.query()).literals(),
                    filter.clause(), written));
        }
        filter.params().forEach((param, fixed) -> params.put(param, JSON.getNodeFactory().stringNode(fixed)));
    }

    /** The filter's item with each text {@code {value}} in it replaced by the value. */
    private static JsonNode withValue(JsonNode template, String value) {
        if (template.isString()) {
            return JSON.getNodeFactory().stringNode(template.asString().replace("{value}", value));
        }
        if (template.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            template.properties().forEach(e -> copy.set(e.getKey(), withValue(e.getValue(), value)));
            return copy;
        }
        if (template.isArray()) {
            var copy = JSON.createArrayNode();
            template.forEach(item -> copy.add(withValue(item, value)));
            return copy;
        }
        return template;
    }

    private static void putIfPresent(Map<String, String> map, String key, @Nullable String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static @Nullable String nextState(Crm crm, CrmMapping.ListOperation list, JsonNode body, JsonNode records,
                                              @Nullable String state, int limit) {
        var paging = list.paging();
        int count = records.size();
        return switch (paging.style()) {
            case offset -> {
                long next = (state == null ? 0 : numberIn(state)) + count;
                yield count < limit ? null : byTokenPast(paging, body, next, next);
            }
            case token -> {
                String token = textAt(body, Objects.requireNonNull(paging.from()));
                yield count == 0 ? null : token;
            }
            case nextLink -> {
                String link = textAt(body, Objects.requireNonNull(paging.from()));
                yield link == null || count == 0 ? null : belowBase(crm, link);
            }
            case page -> {
                boolean more = paging.from() != null
                        ? JsonPaths.at(body, paging.from()).asBoolean(false) : count >= limit;
                long page = state == null ? 1 : numberIn(state);
                yield count == 0 || !more ? null : byTokenPast(paging, body, page + 1, page * limit);
            }
            // A full page, or one the CRM cut short, may have more behind it; the next query asks for the records
            // after its last one.
            case keyset -> count == 0 || (count < limit
                    && (paging.cutShort() == null || textAt(body, paging.cutShort()) == null))
                    ? null : textAt(records.get(count - 1), Objects.requireNonNull(paging.from()));
            case none -> throw new IllegalStateException("a list answered whole is cut into pages by list()");
        };
    }

    /**
     * The next page's state: its number (a page or an offset), or, once the records read reach what numbers
     * reach ({@link CrmMapping.TokenPast}) and the answer holds a token, that token with the number kept beside it
     * ({@code token:<number>:<token>}). Without a token the number goes on: the CRM answers what it does.
     */
    private static String byTokenPast(CrmMapping.Paging paging, JsonNode body, long number, long reached) {
        var past = paging.tokenPast();
        String token = past == null || reached < past.results() ? null : textAt(body, past.from());
        return token == null ? String.valueOf(number) : PAGE_TOKEN + number + ":" + token;
    }

    /** The page number or offset a page state holds, a token state's included. */
    private static long numberIn(String state) {
        String number = state.startsWith(PAGE_TOKEN)
                ? state.substring(PAGE_TOKEN.length(), state.indexOf(':', PAGE_TOKEN.length())) : state;
        return Long.parseLong(number);
    }

    /** The token a token state holds, or null for a page number or offset. */
    private static @Nullable String tokenIn(String state) {
        return state.startsWith(PAGE_TOKEN) ? state.substring(state.indexOf(':', PAGE_TOKEN.length()) + 1) : null;
    }

    /**
     * Paging through a query whose results are capped ({@link CrmMapping.Cap}): the provider's own paging state,
     * how many records the current query has answered, and the value the current query restarted from (null for
     * the query as asked). Held in the cursor as {@code read|since|token}, the token last as it may hold anything.
     */
    record CapState(long read, @Nullable String since, @Nullable String token) {

        static CapState of(@Nullable String state) {
            if (state == null) {
                return new CapState(0, null, null);
            }
            String[] parts = state.split("\\|", 3);
            if (parts.length != 3 || parts[0].isEmpty() || !parts[0].chars().allMatch(Character::isDigit)) {
                // The provider's token alone, as a cursor (or a sync's checkpoint) from before the query was capped
                // holds it: paging carries on from it, counting from there.
                return new CapState(0, null, state);
            }
            try {
                return new CapState(Long.parseLong(parts[0]), parts[1].isEmpty() ? null : Instant.parse(parts[1]).toString(),
                        parts[2].isEmpty() ? null : parts[2]);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new UniversalException(400, "invalid-cursor", "cursor: it does not continue this list.");
            }
        }

        /**
         * The state after a page: the provider's next one while the next page stays within the cap; past it, a new
         * query from the last record's value, which the records sharing it are read again under (never skipped).
         */
        @Nullable String next(Crm crm, CrmMapping.Cap cap, JsonNode records, @Nullable String providerNext, int limit) {
            if (providerNext == null) {
                return null;
            }
            long total = read + records.size();
            if (total + limit <= cap.results()) {
                return total + "|" + (since == null ? "" : since) + "|" + providerNext;
            }
            String last = textAt(records.get(records.size() - 1), cap.at());
            Instant from = last == null ? null : instantOf(last);
            if (from == null) {
                throw new UniversalException(502, "provider-answer-unreadable", crm.name() + " answered a record without "
                        + cap.at() + ", which paging past its cap of " + cap.results() + " results needs.");
            }
            if (from.toString().equals(since)) {
                // Every record of this query shares the value it started from: a new query would answer them again.
                throw new UniversalException(502, "provider-result-cap", crm.name() + " answers at most "
                        + cap.results() + " results to one query, and more than that share " + cap.at() + " " + from
                        + ": they cannot be paged through.");
            }
            return "0|" + from + "|";
        }
    }

    /** A time as a CRM writes it: ISO-8601 with an offset, or milliseconds since the epoch; null when neither. */
    private static @Nullable Instant instantOf(String value) {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() <= 15) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return Instant.parse(Objects.requireNonNull(PersonTranslation.instant(value)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A next link as a path and query below the credential's base URL. A link anywhere else is refused: the
     * engine follows links only into the API the credential is for.
     */
    private static String belowBase(Crm crm, String link) {
        String base = crm.base().toString().replaceAll("/+$", "");
        URI uri;
        try {
            uri = crm.base().resolve(link);
        } catch (IllegalArgumentException e) {
            throw new UniversalException(502, "provider-answer-unreadable", crm.name() + " answered an unusable next link.");
        }
        String absolute = uri.toString();
        if (!absolute.startsWith(base + "/") && !absolute.startsWith(base + "?")) {
            throw new UniversalException(502, "provider-answer-unreadable",
                    crm.name() + " answered a next link outside its API.");
        }
        String rest = absolute.substring(base.length());
        return rest.startsWith("?") ? "/" + rest : rest;
    }

    private static String byId(String path, String id) {
        if (id.isBlank() || id.length() > 200) {
            throw new UniversalException(400, "invalid-request", "id: must be 1 to 200 characters.");
        }
        return path.replace("{id}", pathSegment(id));
    }

    /** The path with each {@code {name}} in it replaced by that value, as one encoded path segment. */
    private static String filled(String path, Map<String, String> values) {
        String filled = path;
        for (var entry : values.entrySet()) {
            filled = filled.replace("{" + entry.getKey() + "}", pathSegment(entry.getValue()));
        }
        return filled;
    }

    private static String pathSegment(String value) {
        if (value.equals(".") || value.equals("..")) {
            // Encoding leaves dots alone, and a dot segment would move the call to another of the CRM's endpoints.
            throw new UniversalException(400, "invalid-request", "An id cannot be '.' or '..'.");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static @Nullable String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return null;
        }
        var query = new StringBuilder();
        params.forEach((name, value) -> query.append(query.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    /** The values a write path holds besides {@code {id}}; each must be given. */
    private static Map<String, String> pathValues(Crm crm, String path, Map<String, Object> values, String what) {
        var filled = new LinkedHashMap<String, String>();
        int open = path.indexOf('{');
        while (open >= 0) {
            int close = path.indexOf('}', open);
            String name = path.substring(open + 1, close);
            if (!name.equals("id")) {
                if (!(values.get(name) instanceof String value) || value.isBlank() || value.length() > 200) {
                    throw new UniversalException(400, "invalid-request", name + ": " + crm.name() + " needs it to "
                            + what + " (1 to 200 characters).");
                }
                filled.put(name, value);
            }
            open = path.indexOf('{', close);
        }
        return filled;
    }

    private static byte[] body(CrmMapping.Operation operation, ObjectNode record, ObjectNode top) {
        ObjectNode wrapped = record;
        if (!operation.body().isEmpty()) {
            wrapped = JSON.createObjectNode();
            JsonPaths.put(wrapped, operation.body(), record);
        }
        return JSON.writeValueAsBytes(WriteTemplates.merge(wrapped, top));
    }
}
