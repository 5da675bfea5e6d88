package io.plugboard.universal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
    }

    /**
     * A single-record request.
     *
     * @param path   below the connector's base URL; {@code {id}} is the record's id
     * @param record where the record is in the answer ("" for the whole answer)
     * @param body   where the written record goes in the request body ("" for the whole body)
     */
    record Operation(String method, String path, String record, String body) {
    }

    /**
     * A list request.
     *
     * @param records    where the array of records is in the answer
     * @param limitParam the query parameter taking the page size
     * @param maxLimit   the largest page the CRM serves
     * @param params     fixed query parameters (a stable sort order, say)
     * @param filters    universal filter name (the model's: email, phone, q, updatedSince; personId) to the CRM's
     *                   query parameter
     */
    record ListOperation(String method, String path, String records, String limitParam, int maxLimit,
                         Map<String, String> params, Map<String, String> filters, Paging paging) {
    }

    /**
     * How the CRM pages.
     *
     * @param style {@code offset}: {@code param} takes the number of records to skip; {@code token}: {@code param}
     *              takes the token found at {@code from} in the answer; {@code nextLink}: the answer holds the next
     *              page's URL at {@code from}
     */
    record Paging(Style style, @Nullable String param, @Nullable String from) {

        enum Style { offset, token, nextLink }
    }

    /**
     * Where one universal field is in the CRM's record.
     *
     * @param path   the member (dotted for nested members)
     * @param single for emails and phones held as one value rather than a list: that value's member
     * @param item   for lists of objects: universal sub-field to the CRM's member in each item
     * @param values the CRM's values to universal ones (written back the other way)
     * @param number written as a JSON number (ids the CRM keeps as numbers)
     */
    record Field(@Nullable String path, @Nullable String single, Map<String, String> item, Map<String, String> values,
                 boolean number) {

        String member() {
            return path != null ? path : single;
        }
    }
}
