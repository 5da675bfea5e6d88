package io.plugboard.universal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads one mapping file strictly: an unknown key, a universal field the model does not have, an operation
 * without its id placeholder or a paging style without what it needs is an error naming the file and the key.
 */
final class MappingParser {

    private static final Set<String> TOP = Set.of("appKey", "name", "sources", "people", "notes", "tasks", "users");
    private static final Set<String> MODEL = Set.of("list", "get", "create", "update", "fields", "readOnly",
            "createOnly", "errorMessage");
    private static final Set<String> LIST = Set.of("method", "path", "records", "record", "limit", "params", "body",
            "query", "filters", "paging", "fields", "search");
    private static final Set<String> SEARCH = Set.of("method", "path", "records", "record", "limit", "params", "body",
            "query", "filters", "oneFilter", "paging", "fields");
    private static final Set<String> FILTER = Set.of("param", "add", "item", "params", "format", "header", "clause",
            "inPath", "required");
    private static final List<String> PLACEHOLDERS = List.of("{text}", "{contains}", "{timestamp}");
    private static final Set<String> OPERATION = Set.of("method", "path", "record", "body", "params", "readBack", "idAt",
            "template");
    private static final Set<String> FIELD = Set.of("path", "single", "item", "values", "number", "format", "time");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH");

    private final String file;
    private final List<String> errors;

    private MappingParser(String file, List<String> errors) {
        this.file = file;
        this.errors = errors;
    }

    /** The mapping, or null with the reasons added to {@code errors}. */
    static @Nullable CrmMapping parse(String file, JsonNode root, List<String> errors) {
        int before = errors.size();
        var mapping = new MappingParser(file, errors).mapping(root);
        return errors.size() == before ? mapping : null;
    }

    private @Nullable CrmMapping mapping(JsonNode root) {
        if (!root.isObject()) {
            error("", "must be a mapping of keys");
            return null;
        }
        known(root, "", TOP);
        String appKey = text(root, "", "appKey", true);
        String name = text(root, "", "name", true);
        var sources = new ArrayList<String>();
        if (!root.path("sources").isArray() || root.path("sources").isEmpty()) {
            error("sources", "list the provider documentation pages the mapping was written from");
        } else {
            root.path("sources").forEach(s -> sources.add(s.asString()));
        }
        if (!root.path("people").isObject()) {
            error("people", "is required");
            return null;
        }
        var models = new EnumMap<CrmMapping.Kind, CrmMapping.Model>(CrmMapping.Kind.class);
        for (var kind : CrmMapping.Kind.values()) {
            JsonNode section = root.path(kind.section());
            if (section.isMissingNode()) {
                continue;
            }
            if (!section.isObject()) {
                error(kind.section(), "must be a mapping of keys");
                continue;
            }
            models.put(kind, model(kind, section));
        }
        if (appKey == null || name == null) {
            return null;
        }
        return new CrmMapping(appKey, name, List.copyOf(sources), Map.copyOf(models));
    }

    /** One model's section; every model is read by this method with the model's own fields and filters. */
    private CrmMapping.Model model(CrmMapping.Kind kind, JsonNode node) {
        String at = kind.section();
        known(node, at, MODEL);
        var fields = fields(kind, node.path("fields"), at + ".fields");
        var readOnly = names(node.path("readOnly"), at + ".readOnly", kind);
        var createOnly = names(node.path("createOnly"), at + ".createOnly", kind);
        var list = node.has("list") ? list(kind, node.path("list"), at + ".list", false) : null;
        var get = node.has("get") ? operation(kind, node.path("get"), at + ".get", "GET", true, false) : null;
        var create = node.has("create") ? operation(kind, node.path("create"), at + ".create", "POST", false, true) : null;
        var update = node.has("update") ? operation(kind, node.path("update"), at + ".update", "PUT", true, true) : null;
        if (get == null && ((create != null && create.readBack()) || (update != null && update.readBack()))) {
            error(at + ".get", "is required to read records back after writing them");
        }
        return new CrmMapping.Model(list, get, create, update, fields, readOnly, createOnly,
                text(node, at, "errorMessage", false));
    }

    private Map<String, CrmMapping.Field> fields(CrmMapping.Kind kind, JsonNode fieldNodes, String at) {
        var fields = new LinkedHashMap<String, CrmMapping.Field>();
        if (!fieldNodes.isObject() || !fieldNodes.has("id")) {
            error(at, "must map at least id");
            return fields;
        }
        for (var entry : fieldNodes.properties()) {
            String key = at + "." + entry.getKey();
            if (!kind.fields().contains(entry.getKey())) {
                error(key, "is not a field of the model (" + String.join(", ", kind.fields()) + ")");
                continue;
            }
            var field = field(kind, entry.getKey(), entry.getValue(), key);
            if (field != null) {
                fields.put(entry.getKey(), field);
            }
        }
        return fields;
    }

    private CrmMapping.@Nullable Field field(CrmMapping.Kind kind, String universal, JsonNode node, String at) {
        if (node.isString()) {
            if (isList(universal) && !universal.equals("tags")) {
                error(at, "a list field needs path and item, or single");
                return null;
            }
            return CrmMapping.Field.at(node.asString());
        }
        if (!node.isObject()) {
            error(at, "must be a member path or a mapping with path");
            return null;
        }
        known(node, at, FIELD);
        String path = text(node, at, "path", false);
        String single = text(node, at, "single", false);
        var item = strings(node.path("item"), at + ".item");
        var values = strings(node.path("values"), at + ".values");
        if ((path == null) == (single == null)) {
            error(at, "give exactly one of path and single");
            return null;
        }
        if (single != null && !universal.equals("emails") && !universal.equals("phones")
                && !universal.equals("addresses")) {
            error(at + ".single", "only emails, phones and addresses can be held as one value");
        }
        // One address held as members of one object (HubSpot's address, city, zip… properties) still names them.
        boolean singleAddress = single != null && universal.equals("addresses");
        if ((path != null || singleAddress)
                && (universal.equals("emails") || universal.equals("phones") || universal.equals("addresses"))) {
            // Emails and phones without item are a list of plain values, the first one primary.
            Set<String> allowed = universal.equals("addresses") ? CrmMapping.ADDRESS_FIELDS : CrmMapping.CONTACT_POINT_FIELDS;
            if (item.isEmpty() && universal.equals("addresses")) {
                error(at + ".item", "is required for a list of " + universal);
            }
            item.keySet().stream().filter(k -> !allowed.contains(k)).forEach(k ->
                    error(at + ".item." + k, "is not one of " + String.join(", ", allowed)));
            if (!universal.equals("addresses") && !item.isEmpty() && !item.containsKey("value")) {
                error(at + ".item.value", "is required");
            }
        } else if (universal.equals("tags") && !item.isEmpty()) {
            // Tags held as objects: item.value is the tag's name in each.
            if (!item.keySet().equals(Set.of("value"))) {
                error(at + ".item", "tags take only value, the member holding each tag's name");
            }
        } else if (!item.isEmpty()) {
            error(at + ".item", "only emails, phones, addresses and tags have items");
        }
        String format = text(node, at, "format", false);
        String time = text(node, at, "time", false);
        if (format != null && !format.equals("date")) {
            error(at + ".format", "must be date: a time the CRM keeps as a day");
        } else if (format != null && !kind.isInstant(universal)) {
            error(at + ".format", universal + " is not a time");
        }
        if (time != null && format == null) {
            error(at + ".time", "goes with format: date, the member holding the time of day apart from the day");
        }
        return new CrmMapping.Field(path, single, item, values, node.path("number").asBoolean(false), format != null,
                time);
    }

    private static boolean isList(String universal) {
        return universal.equals("emails") || universal.equals("phones") || universal.equals("addresses")
                || universal.equals("tags");
    }

    private CrmMapping.@Nullable ListOperation list(CrmMapping.Kind kind, JsonNode node, String at, boolean isSearch) {
        known(node, at, isSearch ? SEARCH : LIST);
        String method = method(node, at, "GET");
        String path = path(node, at, false);
        String records = text(node, at, "records", true);
        var query = node.has("query") ? query(node.path("query"), at + ".query") : null;
        var paging = paging(node.path("paging"), at + ".paging", node.has("body"), query != null);
        JsonNode limit = node.path("limit");
        String limitParam = null;
        int max = Integer.MAX_VALUE;
        if (paging != null && paging.style() == CrmMapping.Paging.Style.none) {
            if (!limit.isMissingNode()) {
                error(at + ".limit", "a list answered whole (paging style none) takes no page size");
            }
        } else {
            limitParam = text(limit, at + ".limit", "param", false);
            max = limit.path("max").asInt(0);
            if (max <= 0 || (limitParam == null && (query == null || !query.template().contains("{limit}")))) {
                error(at + ".limit", "needs a positive max, and param unless the query holds {limit}");
            }
        }
        JsonNode body = null;
        if (node.has("body")) {
            if (!node.path("body").isObject()) {
                error(at + ".body", "must be a mapping: the request body's fixed members");
            } else if (method.equals("GET")) {
                error(at + ".body", "a GET request has no body");
            } else {
                body = node.path("body");
            }
        }
        var filters = new LinkedHashMap<String, CrmMapping.Filter>();
        JsonNode filterNodes = node.path("filters");
        if (!filterNodes.isMissingNode() && !filterNodes.isObject()) {
            error(at + ".filters", "must be a mapping of universal filters");
        }
        for (var entry : filterNodes.properties()) {
            String key = at + ".filters." + entry.getKey();
            if (!kind.filters().contains(entry.getKey())) {
                error(key, kind.filters().isEmpty() ? "is not a filter: " + kind.section() + " take none"
                        : "is not one of " + String.join(", ", kind.filters()));
                continue;
            }
            var filter = filter(entry.getValue(), key, body != null, query != null);
            if (filter != null) {
                filters.put(entry.getKey(), filter);
            }
        }
        if (isSearch && filters.isEmpty()) {
            error(at + ".filters", "is required: the filters the search serves");
        }
        if (path != null) {
            var inPath = new LinkedHashSet<String>();
            filters.forEach((name, filter) -> {
                if (filter.inPath()) {
                    inPath.add(name);
                }
            });
            var held = placeholders(path);
            held.stream().filter(name -> !inPath.contains(name)).forEach(name ->
                    error(at + ".path", "{" + name + "}: only a filter given inPath: true fills the list's path"));
            inPath.stream().filter(name -> !held.contains(name)).forEach(name ->
                    error(at + ".path", "must hold {" + name + "}: the filter given inPath"));
        }
        if (paging != null && body != null && paging.style() == CrmMapping.Paging.Style.nextLink) {
            error(at + ".paging.style", "nextLink paging follows links with GET; a request with a body cannot");
        }
        Map<String, CrmMapping.Field> shape = node.has("fields") ? fields(kind, node.path("fields"), at + ".fields") : Map.of();
        var search = node.has("search") ? list(kind, node.path("search"), at + ".search", true) : null;
        if (path == null || records == null || max <= 0 || paging == null) {
            return null;
        }
        return new CrmMapping.ListOperation(method, path, records, node.path("record").asString(""), limitParam, max,
                strings(node.path("params"), at + ".params"), body, query, filters, node.path("oneFilter").asBoolean(false),
                paging, shape, search);
    }

    private CrmMapping.@Nullable Filter filter(JsonNode node, String at, boolean hasBody, boolean hasQuery) {
        if (node.isString() && !node.asString().isBlank()) {
            return new CrmMapping.Filter(node.asString(), null, null, Map.of(), CrmMapping.Filter.TimeFormat.iso,
                    null, null, false, false);
        }
        if (!node.isObject()) {
            error(at, "must be the parameter's name, or a mapping with param, add, header, clause or inPath");
            return null;
        }
        known(node, at, FILTER);
        String param = text(node, at, "param", false);
        String add = text(node, at, "add", false);
        String header = text(node, at, "header", false);
        String clause = text(node, at, "clause", false);
        boolean inPath = node.path("inPath").asBoolean(false);
        if ((param != null ? 1 : 0) + (add != null ? 1 : 0) + (header != null ? 1 : 0) + (clause != null ? 1 : 0)
                + (inPath ? 1 : 0) != 1) {
            error(at, "give exactly one of param, add, header, clause and inPath");
            return null;
        }
        if (clause != null && !hasQuery) {
            error(at + ".clause", "needs the list's query");
        }
        if (clause != null && PLACEHOLDERS.stream().noneMatch(clause::contains)) {
            error(at + ".clause", "must hold one of " + String.join(", ", PLACEHOLDERS));
        }
        JsonNode item = node.get("item");
        if (add != null && !hasBody) {
            error(at + ".add", "adds to the request body; the request needs a body");
        }
        if (add != null && (item == null || !item.isContainer())) {
            error(at + ".item", "is required with add: the entry added, {value} standing for the value");
        }
        if (add == null && item != null) {
            error(at + ".item", "goes with add only");
        }
        CrmMapping.Filter.TimeFormat format;
        try {
            format = CrmMapping.Filter.TimeFormat.valueOf(node.path("format").asString("iso"));
        } catch (IllegalArgumentException e) {
            error(at + ".format", "must be iso or epochMillis");
            return null;
        }
        if (node.has("required") && !node.path("required").isBoolean()) {
            error(at + ".required", "must be true or false");
        }
        return new CrmMapping.Filter(param, add, item, strings(node.path("params"), at + ".params"), format, header,
                clause, inPath, node.path("required").asBoolean(false));
    }

    private CrmMapping.@Nullable Query query(JsonNode node, String at) {
        known(node, at, Set.of("param", "template", "literals", "where"));
        String param = text(node, at, "param", true);
        String template = text(node, at, "template", true);
        CrmMapping.Query.Literals literals;
        try {
            literals = CrmMapping.Query.Literals.valueOf(node.path("literals").asString(""));
        } catch (IllegalArgumentException e) {
            error(at + ".literals", "must be soql");
            return null;
        }
        if (template != null && !template.contains("{where}")) {
            error(at + ".template", "must hold {where}");
        }
        var where = new ArrayList<String>();
        JsonNode clauses = node.path("where");
        if (!clauses.isMissingNode()) {
            if (!clauses.isArray() || clauses.isEmpty()) {
                error(at + ".where", "must be a list of clauses");
            } else {
                for (JsonNode clause : clauses) {
                    if (!clause.isString() || clause.asString().isBlank()) {
                        error(at + ".where", "must be a list of clauses");
                        break;
                    }
                    where.add(clause.asString().strip());
                }
            }
        }
        return param == null || template == null ? null
                : new CrmMapping.Query(param, template, literals, List.copyOf(where));
    }

    private CrmMapping.@Nullable Paging paging(JsonNode node, String at, boolean hasBody, boolean hasQuery) {
        if (!node.isObject()) {
            error(at, "is required (style offset, token, nextLink, page, keyset or none)");
            return null;
        }
        known(node, at, Set.of("style", "param", "from", "clause", "cutShort", "cap", "tokenPast"));
        CrmMapping.Paging.Style style;
        try {
            style = CrmMapping.Paging.Style.valueOf(node.path("style").asString(""));
        } catch (IllegalArgumentException e) {
            error(at + ".style", "must be offset, token, nextLink, page, keyset or none");
            return null;
        }
        String param = text(node, at, "param", false);
        String from = text(node, at, "from", false);
        String clause = text(node, at, "clause", false);
        String cutShort = text(node, at, "cutShort", false);
        boolean takesParam = switch (style) {
            case offset, token, page -> true;
            case nextLink, keyset, none -> false;
        };
        if (takesParam && param == null) {
            error(at + ".param", "is required for " + style + " paging");
        }
        if (style == CrmMapping.Paging.Style.none) {
            if (param != null || from != null) {
                error(at + (param != null ? ".param" : ".from"), "a list answered whole (style none) has no next page");
            }
        } else if (style != CrmMapping.Paging.Style.offset && style != CrmMapping.Paging.Style.page && from == null) {
            error(at + ".from", "is required for " + style + " paging: where the answer holds it");
        }
        if (style == CrmMapping.Paging.Style.keyset && (!hasQuery || clause == null || !clause.contains("{text}"))) {
            error(at + ".clause", "keyset paging needs the list's query and a clause holding {text}");
        } else if (style != CrmMapping.Paging.Style.keyset && (clause != null || cutShort != null)) {
            error(at + (clause != null ? ".clause" : ".cutShort"), "only keyset paging takes it");
        }
        CrmMapping.TokenPast tokenPast = null;
        if (node.has("tokenPast")) {
            JsonNode past = node.path("tokenPast");
            known(past, at + ".tokenPast", Set.of("results", "param", "from"));
            int results = past.path("results").asInt(0);
            String pastParam = text(past, at + ".tokenPast", "param", true);
            String pastFrom = text(past, at + ".tokenPast", "from", true);
            if (style != CrmMapping.Paging.Style.page && style != CrmMapping.Paging.Style.offset) {
                error(at + ".tokenPast", "only page and offset paging take it");
            } else if (!past.path("results").canConvertToInt() || results < 0) {
                error(at + ".tokenPast.results", "must be a number from 0: the records page numbers reach");
            } else if (pastParam != null && pastFrom != null) {
                tokenPast = new CrmMapping.TokenPast(results, pastParam, pastFrom);
            }
        }
        CrmMapping.Cap cap = null;
        if (node.has("cap")) {
            if (style != CrmMapping.Paging.Style.token && style != CrmMapping.Paging.Style.offset
                    && style != CrmMapping.Paging.Style.page) {
                error(at + ".cap", "only offset, token and page paging count the results a query reaches");
            }
            cap = cap(node.path("cap"), at + ".cap", hasBody, hasQuery);
        }
        return new CrmMapping.Paging(style, param, from, clause, cutShort, cap, tokenPast);
    }

    private CrmMapping.@Nullable Cap cap(JsonNode node, String at, boolean hasBody, boolean hasQuery) {
        known(node, at, Set.of("results", "at", "restart"));
        int results = node.path("results").asInt(0);
        if (results <= 0) {
            error(at + ".results", "must be a positive number: the most records one query answers");
        }
        String member = text(node, at, "at", true);
        if (!node.path("restart").isObject()) {
            error(at + ".restart", "is required: the filter a new query starts from (a mapping, as a list filter)");
            return null;
        }
        var restart = filter(node.path("restart"), at + ".restart", hasBody, hasQuery);
        if (restart != null && restart.inPath()) {
            error(at + ".restart.inPath", "a new query keeps its path; give param, add, header or clause");
        }
        return results <= 0 || member == null || restart == null ? null : new CrmMapping.Cap(results, member, restart);
    }

    private CrmMapping.@Nullable Operation operation(CrmMapping.Kind kind, JsonNode node, String at,
                                                     String defaultMethod, boolean byId, boolean writes) {
        known(node, at, OPERATION);
        String method = method(node, at, defaultMethod);
        String path = path(node, at, byId);
        if (path != null) {
            for (String name : placeholders(path)) {
                if (!name.equals("id") && (!writes || !kind.fields().contains(name))) {
                    error(at + ".path", "{" + name + "}: " + (writes ? "is not a field of the model"
                            : "a read takes only {id}"));
                }
            }
        }
        JsonNode template = node.get("template");
        if (template != null && (!writes || !template.isObject())) {
            error(at + ".template", writes ? "must be a mapping: members the written record carries"
                    : "only writes (create, update) take one");
            template = null;
        } else if (template != null) {
            templatePlaceholders(kind, template, at + ".template");
        }
        boolean readBack = node.path("readBack").asBoolean(false);
        String idAt = text(node, at, "idAt", false);
        if (readBack && !byId && idAt == null) {
            error(at + ".idAt", "is required to read a new record back: where its id is in the answer");
        } else if (idAt != null && (byId || !readBack)) {
            error(at + ".idAt", "is only for a create with readBack");
        }
        if (path == null) {
            return null;
        }
        return new CrmMapping.Operation(method, path, node.path("record").asString(""), node.path("body").asString(""),
                strings(node.path("params"), at + ".params"), readBack, idAt, template);
    }

    /** The names in braces in a text ({@code /Contacts/{personId}/Notes} holds personId). */
    private static Set<String> placeholders(String text) {
        var names = new LinkedHashSet<String>();
        var matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Every placeholder in a write template's texts is one {@link WriteTemplates} knows. */
    private void templatePlaceholders(CrmMapping.Kind kind, JsonNode node, String at) {
        if (node.isString()) {
            for (String name : placeholders(node.asString())) {
                if (!WriteTemplates.knows(kind, name)) {
                    error(at, "{" + name + "}: must be now, now:epochMillis, a field of the model, field:length, or a time field:epochMillis");
                }
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> templatePlaceholders(kind, e.getValue(), at + "." + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                templatePlaceholders(kind, node.get(i), at + "." + i);
            }
        }
    }

    private String method(JsonNode node, String at, String fallback) {
        String method = node.path("method").asString(fallback).toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            error(at + ".method", "must be one of " + String.join(", ", METHODS));
        }
        return method;
    }

    private @Nullable String path(JsonNode node, String at, boolean byId) {
        String path = text(node, at, "path", true);
        if (path == null) {
            return null;
        }
        if (!path.startsWith("/") || path.contains("..") || path.contains("?") || path.contains("://")) {
            error(at + ".path", "must be a path below the connector's base URL, starting with / (no query)");
        }
        if (byId != path.contains("{id}")) {
            error(at + ".path", byId ? "must hold {id}" : "takes no {id}");
        }
        return path;
    }

    private Map<String, String> strings(JsonNode node, String at) {
        var map = new LinkedHashMap<String, String>();
        if (node.isMissingNode() || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            error(at, "must be a mapping of names to text");
            return map;
        }
        for (var entry : node.properties()) {
            if (!entry.getValue().isValueNode()) {
                error(at + "." + entry.getKey(), "must be text");
            } else {
                map.put(entry.getKey(), entry.getValue().asString());
            }
        }
        return map;
    }

    private Set<String> names(JsonNode node, String at, CrmMapping.Kind kind) {
        var names = new LinkedHashSet<String>();
        if (node.isMissingNode()) {
            return names;
        }
        if (!node.isArray()) {
            error(at, "must be a list of universal field names");
            return names;
        }
        node.forEach(n -> {
            if (!kind.fields().contains(n.asString())) {
                error(at, n.asString() + " is not a field of the model");
            }
            names.add(n.asString());
        });
        return names;
    }

    private @Nullable String text(JsonNode node, String at, String key, boolean required) {
        JsonNode value = node.path(key);
        String where = at.isEmpty() ? key : at + "." + key;
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                error(where, "is required");
            }
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            error(where, "must be non-empty text");
            return null;
        }
        return value.asString();
    }

    private void known(JsonNode node, String at, Set<String> keys) {
        for (String name : node.propertyNames()) {
            if (!keys.contains(name)) {
                error(at.isEmpty() ? name : at + "." + name, "is not a known key (" + String.join(", ", keys) + ")");
            }
        }
    }

    private void error(String key, String message) {
        errors.add(file + ": " + (key.isEmpty() ? "" : key + ": ") + message);
    }
}
