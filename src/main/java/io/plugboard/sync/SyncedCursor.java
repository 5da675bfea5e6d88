package io.plugboard.sync;

import io.plugboard.universal.UniversalException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cursor of a page read from the store: the query it continues and the keyset position of the last record
 * given, as base64url JSON. Unlike the engine's cursors it points at nothing outside the credential's own rows
 * (every read is bound to the credential of the request and to the tenant by row-level security), so it needs no
 * seal; it is opaque only in that clients must not build one.
 *
 * @param model   the model paged through
 * @param cred    the credential paged through
 * @param filters the filters of the first request, by their API names
 * @param limit   the page size of the first request
 * @param sort    the order of the first request: updatedAt or -updatedAt
 * @param after   the last record of the page given
 */
record SyncedCursor(String model, String cred, Map<String, String> filters, int limit, String sort, Position after) {

    /** Where a record stands in the order: its time of change (null when the CRM gave none) and id. */
    record Position(@Nullable Instant updatedAt, String id) {
    }

    private static final String PREFIX = "s1.";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    String encode() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
    }

    /** The cursor, if it is one of the store's for this credential and model; otherwise a 400. */
    static SyncedCursor decode(String text, String credentialId, SyncModel model) {
        if (!text.startsWith(PREFIX)) {
            throw invalid();
        }
        try {
            var cursor = JSON.readValue(Base64.getUrlDecoder().decode(text.substring(PREFIX.length())), SyncedCursor.class);
            if (!credentialId.equals(cursor.cred()) || !model.key().equals(cursor.model()) || cursor.filters() == null
                    || cursor.sort() == null || cursor.after() == null || cursor.after().id() == null) {
                throw invalid();
            }
            return cursor;
        } catch (IllegalArgumentException | JacksonException e) {
            throw invalid();
        }
    }

    private static UniversalException invalid() {
        return new UniversalException(400, "invalid-cursor",
                "cursor: not a cursor this API returned for this credential; start again without one.");
    }
}
