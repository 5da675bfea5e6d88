package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A task to create, or the fields to change with PATCH (absent fields stay as they are). */
@Schema(description = "A task to create, or the fields to change with PATCH (absent fields stay as they are)",
        example = """
        {"personId": "123", "title": "Call about the viewing", "dueAt": "2026-03-05T17:00:00Z",
         "assignedUserId": "7"}""")
public record TaskInput(@Schema(example = "123") @Nullable String personId,
                        @Schema(example = "Call about the viewing") @Nullable String title,
                        @Nullable String description,
                        @Schema(description = "ISO-8601 with an offset", example = "2026-03-05T17:00:00Z") @Nullable String dueAt,
                        @Schema(description = "true marks the task done") @Nullable Boolean completed,
                        @Schema(example = "7") @Nullable String assignedUserId) {

    /** The universal fields given, by name. */
    Map<String, Object> values() {
        var values = new LinkedHashMap<String, Object>();
        put(values, "personId", personId);
        put(values, "title", title);
        put(values, "description", description);
        put(values, "dueAt", dueAt);
        put(values, "completed", completed);
        put(values, "assignedUserId", assignedUserId);
        return values;
    }

    private static void put(Map<String, Object> values, String field, @Nullable Object value) {
        if (value != null) {
            values.put(field, value);
        }
    }
}
