package io.plugboard.universal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How one CRM's API speaks the Universal model, as read from {@code connectors/universal/<appKey>.yaml}.
 *
 * @param appKey  the connector whose credentials this mapping serves
 * @param sources the provider documentation pages the mapping was written from
 * @param models  each model the CRM maps (people always; notes, tasks and users where the CRM has them)
 */
record CrmMapping(String appKey, String name, List<String> sources, Map<Kind, Model> models) {

    static final Set<String> CONTACT_POINT_FIELDS = Set.of("value", "type", "isPrimary");
    static final Set<String> ADDRESS_FIELDS = Set.of("type", "street", "city", "state", "postalCode", "country");

    Model people() {
        return models.get(Kind.PEOPLE);
    }

    /** The model's section, or null when the CRM maps none (every operation on it answers 501). */
    @Nullable Model model(Kind kind) {
        return models.get(kind);
    }

    /**
     * The Universal models: their fields in the order the model lists them, the list filters they take, and
     * the fields that are not plain text.
     */
    enum Kind {
        PEOPLE("person", List.of("id", "firstName", "lastName", "name", "emails", "phones", "addresses", "tags",
                "stage", "source", "assignedUserId", "createdAt", "updatedAt"),
                List.of("updatedSince", "email", "phone", "q"), Set.of(), Set.of("createdAt", "updatedAt")),
        NOTES("note", List.of("id", "personId", "body", "createdAt", "updatedAt", "createdByUserId"),
                List.of("personId"), Set.of(), Set.of("createdAt", "updatedAt")),
        TASKS("task", List.of("id", "personId", "title", "description", "dueAt", "completed", "completedAt",
                "assignedUserId", "createdAt", "updatedAt"),
                List.of("personId"), Set.of("completed"), Set.of("dueAt", "completedAt", "createdAt", "updatedAt")),
        USERS("user", List.of("id", "name", "firstName", "lastName", "email", "role", "active"),
                List.of(), Set.of("active"), Set.of());

        private final String singular;
        private final List<String> fields;
        private final List<String> filters;
        private final Set<String> booleans;
        private final Set<String> instants;

        Kind(String singular, List<String> fields, List<String> filters, Set<String> booleans, Set<String> instants) {
            this.singular = singular;
            this.fields = fields;
            this.filters = filters;
            this.booleans = booleans;
            this.instants = instants;
        }

        /** The section's name in a mapping file and in messages ("people", "notes"). */
        String section() {
            return name().toLowerCase(Locale.ROOT);
        }

        String singular() {
            return singular;
        }

        List<String> fields() {
            return fields;
        }

        List<String> filters() {
            return filters;
        }

        boolean isBoolean(String field) {
            return booleans.contains(field);
        }

        boolean isInstant(String field) {
            return instants.contains(field);
        }
    }

    /**
     * One model's operations (null when the CRM cannot do it) and fields.
     *
     * @param readOnly     universal fields never written (ids, timestamps the CRM sets)
     * @param createOnly   universal fields the CRM accepts only when the record is created
     * @param errorMessage where a provider's error answer holds its message (tried before the usual members)
     */
    record Model(@Nullable ListOperation list, @Nullable Operation get, @Nullable Operation create,
                 @Nullable Operation update, Map<String, Field> fields, Set<String> readOnly, Set<String> createOnly,
                 @Nullable String errorMessage) {

        /** The same model reading records shaped as {@code shape} says (a search answering other members). */
        Model readingAs(Map<String, Field> shape) {
            return shape.isEmpty() ? this : new Model(list, get, create, update, shape, readOnly, createOnly, errorMessage);
        }
    }

    /**
     * A single-record request.
     *
     * @param path   below the connector's base URL; {@code {id}} is the record's id
     * @param record where the record is in the answer ("" for the whole answer)
     * @param body   where the written record goes in the request body ("" for the whole body)
     * @param params   fixed query parameters (the members a CRM returns only when asked for, say)
     * @param readBack the answer is not the record (an id and a status, or nothing): the engine reads the record
     *                 with the get operation afterwards
     * @param idAt     for a create read back: where the new record's id is in the answer
     * @param template members the written record carries besides its fields (a constant, the time of writing, a
     *                 value placed where it is not read from); see {@link WriteTemplates}
     */
    record Operation(String method, String path, String record, String body, Map<String, String> params,
                     boolean readBack, @Nullable String idAt, @Nullable JsonNode template) {
    }

    /**
     * A list request: the CRM's list, or its search serving filters the list cannot apply.
     *
     * @param records    where the array of records is in the answer
     * @param record     where the record is in each entry of that array ("" for the entry itself)
     * @param limitParam the parameter taking the page size; null when the query statement holds it
     * @param maxLimit   the largest page the CRM serves (no bound for a list answered whole)
     * @param params     fixed parameters (a stable sort order, say)
     * @param body       the request body's fixed part, or null for a request without one; with a body, the page
     *                   size, the paging state and the filters are members of the body rather than query
     *                   parameters
     * @param query      a query language statement sent as one parameter (Salesforce's SOQL), or null
     * @param filters    universal filter name (the model's: email, phone, q, updatedSince; personId) to how the
     *                   CRM applies it
     * @param oneFilter  the request takes one filter at a time (Zoho's search: email, phone or word)
     * @param shape      how this request's records are read when they differ from the model's fields (a search
     *                   answering fewer members, or other ones); empty for the model's fields
     * @param search     the request serving the filters this one cannot apply, or null
     */
    record ListOperation(String method, String path, String records, String record, @Nullable String limitParam,
                         int maxLimit, Map<String, String> params, @Nullable JsonNode body, @Nullable Query query,
                         Map<String, Filter> filters, boolean oneFilter, Paging paging, Map<String, Field> shape,
                         @Nullable ListOperation search) {

        /**
         * True when every filter asked for is one this request applies, and every filter its path holds is asked
         * for.
         */
        boolean applies(Set<String> asked) {
            return filters.keySet().containsAll(asked) && (!oneFilter || asked.size() <= 1)
                    && asked.containsAll(required());
        }

        /** The filters this request cannot go without: those filling its path, and those marked required. */
        Set<String> required() {
            var required = new LinkedHashSet<String>();
            filters.forEach((name, filter) -> {
                if (filter.inPath() || filter.required()) {
                    required.add(name);
                }
            });
            return required;
        }
    }

    /**
     * How the CRM applies one universal filter: exactly one of a parameter, an item added to the body, a request
     * header, a clause of the list's query statement, or the request's path. In a clause, {@code {text}} becomes the value as a
     * quoted, escaped literal, {@code {contains}} a quoted pattern matching text containing the value,
     * {@code {timestamp}} the instant as ISO-8601 UTC unquoted.
     *
     * @param param  the parameter (or body member) taking the value
     * @param add    the body array an item is added to (HubSpot's {@code filterGroups.0.filters}), with
     *               {@code param} null
     * @param item   that item, its text {@code {value}} replaced by the value
     * @param params fixed parameters the filter needs besides (a search's field list, say)
     * @param format how a time (updatedSince) is written: ISO-8601 in UTC, or milliseconds since the epoch
     * @param header the request header taking the value (Zoho's If-Modified-Since)
     * @param clause the query statement's clause taking the value
     * @param inPath the value fills the placeholder named after the filter in the request's path (a related list,
     *               Zoho's {@code /Contacts/{personId}/Notes}); the request is then only for that filter
     * @param required the CRM lists nothing without it though it is a parameter (Lofty lists notes only of one
     *                 lead): as with a filter in the path, the request is only for that filter
     */
    record Filter(@Nullable String param, @Nullable String add, @Nullable JsonNode item, Map<String, String> params,
                  TimeFormat format, @Nullable String header, @Nullable String clause, boolean inPath,
                  boolean required) {

        enum TimeFormat { iso, epochMillis }
    }

    /**
     * A list sent as one query statement.
     *
     * @param param    the query parameter taking the statement
     * @param template the statement; {@code {where}} becomes the filters' and the paging's clauses joined with
     *                 AND behind WHERE (or nothing), {@code {limit}} the page size
     * @param literals how the language quotes and escapes text ({@code soql})
     * @param where    clauses every statement holds, before the filters' (the records the model is about among
     *                 all of the object's: Salesforce's users who work in the CRM)
     */
    record Query(String param, String template, Literals literals, List<String> where) {

        enum Literals { soql }
    }

    /**
     * How the CRM pages.
     *
     * @param style {@code offset}: {@code param} takes the number of records to skip; {@code token}: {@code param}
     *              takes the token found at {@code from} in the answer; {@code nextLink}: the answer holds the next
     *              page's URL at {@code from}; {@code page}: {@code param} takes the page number from 1, and
     *              {@code from}, if given, is where the answer says more pages follow; {@code keyset}: the next page
     *              is the query's records after the last one, whose member {@code from} fills {@code clause}; it
     *              follows a full page, or a shorter one when the answer holds a member at {@code cutShort} (the
     *              CRM ended the batch early: Salesforce's {@code nextRecordsUrl}); {@code none}: the CRM answers
     *              the whole list at once and takes no page size (Pipedrive's users), so there is no next page
     * @param cap   the most results one query reaches (HubSpot's search), or null when paging has no end
     * @param tokenPast for page and offset paging: numbers reach only so far, pages past it by a token (Zoho's
     *                  lists; Follow Up Boss, which asks for its next token past high offsets)
     */
    record Paging(Style style, @Nullable String param, @Nullable String from, @Nullable String clause,
                  @Nullable String cutShort, @Nullable Cap cap, @Nullable TokenPast tokenPast) {

        enum Style { offset, token, nextLink, page, keyset, none }
    }

    /**
     * Page numbers or offsets that reach only the first {@code results} records (0: use the token from the first
     * answer on): the page beyond is asked for with {@code param} taking the token found at {@code from} in the
     * answer, and so is every page after it while the answers hold one.
     */
    record TokenPast(int results, String param, String from) {
    }

    /**
     * A query's result cap and how paging goes on past it: before a page would reach beyond {@code results}, the
     * engine starts a new query with the same filters and sort, plus {@code restart} holding the value at
     * {@code at} of the last record read. The sort must be on that member and {@code restart} must include that
     * value itself (GTE, not GT): records sharing it are read again rather than skipped.
     *
     * @param results the most records one query answers (its pages together)
     * @param at      the member of each record the query is sorted on (a modification time, as ISO-8601)
     * @param restart the filter the new query starts from, applied as a list filter is
     */
    record Cap(int results, String at, Filter restart) {
    }

    /**
     * Where one universal field is in the CRM's record.
     *
     * @param path   the member (dotted for nested members)
     * @param single for emails and phones held as one value rather than a list: that value's member; for one
     *               address held as members of one object: that object, {@code item} naming the members
     * @param item   for lists of objects: universal sub-field to the CRM's member in each item
     * @param values the CRM's values to universal ones (written back the other way)
     * @param number written as a JSON number (ids the CRM keeps as numbers)
     * @param dayOnly a time the CRM keeps as a day ({@code 2026-03-05}): read as that day's midnight UTC, written
     *                as the instant's UTC day
     * @param time    with {@code dayOnly}: the member holding the time of day apart from the day, or null
     */
    record Field(@Nullable String path, @Nullable String single, Map<String, String> item, Map<String, String> values,
                 boolean number, boolean dayOnly, @Nullable String time) {

        /** A field at a member path, read and written as it is. */
        static Field at(String path) {
            return new Field(path, null, Map.of(), Map.of(), false, false, null);
        }

        String member() {
            return path != null ? path : single;
        }
    }
}
