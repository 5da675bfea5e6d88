package io.plugboard.universal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How one CRM's API speaks the Universal model, as read from {@code connectors/universal/<appKey>.yaml}.
 *
 * @param appKey  the connector whose credentials this mapping serves
 * @param sources the provider documentation pages the mapping was written from
 * @param people  people: the CRM's contacts, leads or persons
 */
record CrmMapping(String appKey, String name, List<String> sources, Model people) {

    /** The universal fields a person has, in the order the model lists them. */
    static final List<String> PERSON_FIELDS = List.of("id", "firstName", "lastName", "name", "emails", "phones",
            "addresses", "tags", "stage", "source", "assignedUserId", "createdAt", "updatedAt");
    static final Set<String> CONTACT_POINT_FIELDS = Set.of("value", "type", "isPrimary");
    static final Set<String> ADDRESS_FIELDS = Set.of("type", "street", "city", "state", "postalCode", "country");
    static final Set<String> FILTERS = Set.of("email", "phone", "q", "updatedSince");

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
     * @param path     below the connector's base URL; {@code {id}} is the record's id
     * @param record   where the record is in the answer ("" for the whole answer)
     * @param body     where the written record goes in the request body ("" for the whole body)
     * @param readBack the answer is not the record (an id and a status, or nothing): the engine reads the record
     *                 with the get operation afterwards
     * @param idAt     for a create read back: where the new record's id is in the answer
     */
    record Operation(String method, String path, String record, String body, boolean readBack,
                     @Nullable String idAt) {
    }

    /**
     * A list request.
     *
     * @param records    where the array of records is in the answer
     * @param limitParam the query parameter taking the page size
     * @param maxLimit   the largest page the CRM serves
     * @param params     fixed query parameters (a stable sort order, say)
     * @param filters    universal filter name (email, phone, q, updatedSince) to how the CRM takes it
     * @param query      a query language statement sent as one parameter (Salesforce's SOQL), or null
     */
    record ListOperation(String method, String path, String records, @Nullable String limitParam, int maxLimit,
                         Map<String, String> params, Map<String, Filter> filters, Paging paging,
                         @Nullable Query query) {
    }

    /**
     * How a CRM takes one filter: exactly one of a query parameter, a request header, or a clause of the list's
     * query statement. In a clause, {@code {text}} becomes the value as a quoted, escaped literal,
     * {@code {contains}} a quoted pattern matching text containing the value, {@code {timestamp}} the instant as
     * ISO-8601 UTC unquoted.
     *
     * @param path another list path the CRM serves this filter from (its search endpoint), or null
     */
    record Filter(@Nullable String param, @Nullable String header, @Nullable String clause, @Nullable String path) {
    }

    /**
     * A list sent as one query statement.
     *
     * @param param    the query parameter taking the statement
     * @param template the statement; {@code {where}} becomes the filters' and the paging's clauses joined with
     *                 AND behind WHERE (or nothing), {@code {limit}} the page size
     * @param literals how the language quotes and escapes text ({@code soql})
     */
    record Query(String param, String template, Literals literals) {

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
     *              CRM ended the batch early: Salesforce's {@code nextRecordsUrl})
     */
    record Paging(Style style, @Nullable String param, @Nullable String from, @Nullable String clause,
                  @Nullable String cutShort) {

        enum Style { offset, token, nextLink, page, keyset }
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
