package io.plugboard.universal;

import io.plugboard.credential.ConnectionFields;
import io.plugboard.credential.CredentialAccess;
import io.plugboard.proxy.CallSource;
import io.plugboard.proxy.ProxyProperties;
import io.plugboard.proxy.ProxyRequest;
import io.plugboard.proxy.ProxyService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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

    public PersonPage listPeople(Caller caller, PeopleQuery query, boolean includeOriginal) {
        var crm = open(caller);
        var list = crm.require(crm.model().list(), "list people");
        Cursors.Query wanted = new Cursors.Query(limit(query.limit()),
                query.updatedSince() == null ? null : query.updatedSince().toString(), query.email(), query.phone(),
                query.q());
        Cursors.Query effective = wanted;
        String state = null;
        if (query.cursor() != null) {
            var opened = cursors.open(query.cursor(), caller.credentialId());
            effective = opened.query();
            if (!sameFilters(wanted, effective, query.limit() != null)) {
                throw new UniversalException(400, "invalid-cursor",
                        "cursor: it continues another query; send the cursor with the same filters and limit, or alone.");
            }
            state = opened.state();
        }
        int limit = Math.min(effective.limit(), list.maxLimit());
        String path;
        String rawQuery;
        var headers = new LinkedHashMap<String, String>();
        if (state != null && list.paging().style() == CrmMapping.Paging.Style.nextLink) {
            int q = state.indexOf('?');
            path = q < 0 ? state : state.substring(0, q);
            rawQuery = q < 0 ? null : state.substring(q + 1);
        } else {
            var params = new LinkedHashMap<>(list.params());
            if (list.limitParam() != null) {
                params.put(list.limitParam(), String.valueOf(limit));
            }
            var clauses = new ArrayList<String>();
            path = filters(crm, list, effective, params, headers, clauses);
            if (state != null && list.paging().style() == CrmMapping.Paging.Style.keyset) {
                clauses.add(QueryStatements.clause(Objects.requireNonNull(list.query()).literals(),
                        Objects.requireNonNull(list.paging().clause()), state));
            } else if (state != null) {
                params.put(Objects.requireNonNull(list.paging().param()), state);
            }
            if (list.query() != null) {
                params.put(list.query().param(), QueryStatements.statement(list.query().template(), clauses, limit));
            }
            rawQuery = query(params);
        }
        var answer = crm.call(list.method(), path, rawQuery, headers, null, "list people");
        JsonNode records = JsonPaths.at(answer.body(), list.records());
        if (records.isMissingNode() || records.isNull()) {
            // Some CRMs leave the member out, or answer 204 without a body, when nothing matches.
            return new PersonPage(List.of(), null);
        }
        if (!records.isArray()) {
            throw new UniversalException(502, "provider-answer-unreadable",
                    crm.name() + " answered without its list of records (" + list.records() + ").");
        }
        var items = new ArrayList<Person>(records.size());
        records.forEach(r -> items.add(PersonTranslation.read(crm.model(), r, includeOriginal)));
        String next = nextState(crm, list, answer.body(), records, state, limit);
        return new PersonPage(List.copyOf(items), next == null ? null
                : cursors.seal(caller.credentialId(), effective, next));
    }

    public Person getPerson(Caller caller, String id, boolean includeOriginal) {
        return read(open(caller), id, includeOriginal);
    }

    private static Person read(Crm crm, String id, boolean includeOriginal) {
        var get = crm.require(crm.model().get(), "get a person");
        var answer = crm.call(get.method(), byId(get.path(), id), null, Map.of(), null, "get a person");
        JsonNode record = JsonPaths.at(answer.body(), get.record());
        if (!record.isObject()) {
            // Some CRMs answer a missing record with 204 or an empty list rather than 404.
            throw new UniversalException(404, "not-found", crm.name() + " has no such record.");
        }
        return PersonTranslation.read(crm.model(), record, includeOriginal);
    }

    public Person createPerson(Caller caller, PersonInput input, boolean includeOriginal) {
        var crm = open(caller);
        var create = crm.require(crm.model().create(), "create a person");
        var answer = crm.call(create.method(), create.path(), null, Map.of(),
                body(create, PersonTranslation.write(crm.model(), input, true)), "create a person");
        if (create.readBack()) {
            String id = textAt(answer.body(), Objects.requireNonNull(create.idAt()));
            if (id == null) {
                throw new UniversalException(502, "provider-answer-unreadable",
                        crm.name() + " created the person without saying its id (" + create.idAt() + ").");
            }
            return read(crm, id, includeOriginal);
        }
        return PersonTranslation.read(crm.model(), JsonPaths.at(answer.body(), create.record()), includeOriginal);
    }

    public Person updatePerson(Caller caller, String id, PersonInput input, boolean includeOriginal) {
        var crm = open(caller);
        var update = crm.require(crm.model().update(), "update a person");
        var answer = crm.call(update.method(), byId(update.path(), id), null, Map.of(),
                body(update, PersonTranslation.write(crm.model(), input, false)), "update a person");
        if (update.readBack()) {
            return read(crm, id, includeOriginal);
        }
        return PersonTranslation.read(crm.model(), JsonPaths.at(answer.body(), update.record()), includeOriginal);
    }

    // ------------------------------------------------------------------ the CRM behind a credential

    private Crm open(Caller caller) {
        CredentialAccess access = proxy.open(caller.tenantId(), caller.credentialId());
        String appKey = access.connector().appKey();
        CrmMapping mapping = mappings.forConnector(appKey).orElseThrow(() -> new UniversalException(400, "not-a-crm",
                "Credential " + caller.credentialId() + " is for " + access.connector().name() + " (" + appKey
                        + "), which the Universal CRM API does not map; CRMs it maps: " + mappings.appKeys() + "."));
        URI base = ConnectionFields.baseUrl(access.connector(), access.values());
        return new Crm(caller, access.connector().name(), appKey, mapping.people(), base);
    }

    /** The CRM of one request: its mapping, its API's base URL, and calls through the proxy. */
    private final class Crm {

        private final Caller caller;
        private final String name;
        private final String appKey;
        private final CrmMapping.Model model;
        private final URI base;

        Crm(Caller caller, String name, String appKey, CrmMapping.Model model, URI base) {
            this.caller = caller;
            this.name = name;
            this.appKey = appKey;
            this.model = model;
            this.base = base;
        }

        String name() {
            return name;
        }

        CrmMapping.Model model() {
            return model;
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

        Answer call(String method, String path, @Nullable String rawQuery, Map<String, String> extraHeaders,
                    byte @Nullable [] body, String what) {
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
            return answer(sink, what);
        }

        private Answer answer(Capture sink, String what) {
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
            String message = body == null ? null : message(body);
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

        private @Nullable String message(JsonNode body) {
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

        @Nullable Long retryAfterSeconds() {
            for (var entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase("Retry-After") && !entry.getValue().isEmpty()) {
                    try {
                        return Math.max(0, Long.parseLong(entry.getValue().getFirst().strip()));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ requests

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
    private static boolean sameFilters(Cursors.Query sent, Cursors.Query cursor, boolean limitSent) {
        return (sent.updatedSince() == null || sent.updatedSince().equals(cursor.updatedSince()))
                && (sent.email() == null || sent.email().equals(cursor.email()))
                && (sent.phone() == null || sent.phone().equals(cursor.phone()))
                && (sent.q() == null || sent.q().equals(cursor.q()))
                && (!limitSent || sent.limit() == cursor.limit());
    }

    /**
     * Puts the filters asked for where the CRM takes them (query parameters, headers, clauses of its query) and
     * answers the list path to call: a filter the CRM serves from its search endpoint moves the request there,
     * and is then the only filter of the request.
     */
    private static String filters(Crm crm, CrmMapping.ListOperation list, Cursors.Query query,
                                  Map<String, String> params, Map<String, String> headers, List<String> clauses) {
        var asked = new LinkedHashMap<String, String>();
        putIfPresent(asked, "updatedSince", query.updatedSince());
        putIfPresent(asked, "email", query.email());
        putIfPresent(asked, "phone", query.phone());
        putIfPresent(asked, "q", query.q());
        String path = list.path();
        String movedBy = null;
        for (var entry : asked.entrySet()) {
            var filter = list.filters().get(entry.getKey());
            if (filter == null) {
                throw new UniversalException(501, "filter-not-supported",
                        crm.name() + " cannot filter people by " + entry.getKey() + " through the Universal CRM API.");
            }
            if (filter.path() != null) {
                // A search endpoint takes one search at a time (Zoho's email, phone or word).
                if (movedBy != null) {
                    throw new UniversalException(501, "filter-not-supported", crm.name() + " cannot filter people by "
                            + movedBy + " and " + entry.getKey() + " together through the Universal CRM API.");
                }
                path = filter.path();
                movedBy = entry.getKey();
            }
            if (filter.param() != null) {
                params.put(filter.param(), entry.getValue());
            } else if (filter.header() != null) {
                headers.put(filter.header(), entry.getValue());
            } else {
                clauses.add(QueryStatements.clause(Objects.requireNonNull(list.query()).literals(),
                        Objects.requireNonNull(filter.clause()), entry.getValue()));
            }
        }
        if (movedBy != null) {
            // The other filters are the list's own; sent to the search endpoint they could be silently ignored.
            for (String other : asked.keySet()) {
                if (list.filters().get(other).path() == null) {
                    throw new UniversalException(501, "filter-not-supported", crm.name() + " cannot filter people by "
                            + movedBy + " and " + other + " together through the Universal CRM API.");
                }
            }
        }
        return path;
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
            case offset -> count < limit ? null : String.valueOf((state == null ? 0 : Long.parseLong(state)) + count);
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
                yield count == 0 || !more ? null : String.valueOf((state == null ? 1 : Long.parseLong(state)) + 1);
            }
            // A full page, or one the CRM cut short, may have more behind it; the next query asks for the records
            // after its last one.
            case keyset -> count == 0 || (count < limit
                    && (paging.cutShort() == null || textAt(body, paging.cutShort()) == null))
                    ? null : textAt(records.get(count - 1), Objects.requireNonNull(paging.from()));
        };
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
        return path.replace("{id}", URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
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

    private static byte[] body(CrmMapping.Operation operation, ObjectNode record) {
        if (operation.body().isEmpty()) {
            return JSON.writeValueAsBytes(record);
        }
        ObjectNode wrapped = JSON.createObjectNode();
        JsonPaths.put(wrapped, operation.body(), record);
        return JSON.writeValueAsBytes(wrapped);
    }
}
