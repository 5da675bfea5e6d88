package io.plugboard.universal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A list request for any model: page size, the caller's cursor and the universal filters asked for (by their
 * universal names, e.g. {@code personId}; a filter the CRM's mapping lacks answers 501).
 */
public record ListQuery(@Nullable Integer limit, @Nullable String cursor, Map<String, String> filters) {

    public ListQuery {
        filters = Map.copyOf(filters);
    }
}
