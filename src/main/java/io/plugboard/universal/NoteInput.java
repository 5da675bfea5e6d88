package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A note to add to a person. */
@Schema(description = "A note to add to a person", example = """
        {"personId": "123", "body": "Called, wants a viewing on Saturday."}""")
public record NoteInput(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "123") @Nullable String personId,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String body) {

    /** The universal fields given, by name. */
    Map<String, Object> values() {
        var values = new LinkedHashMap<String, Object>();
        if (personId != null) {
            values.put("personId", personId);
        }
        if (body != null) {
            values.put("body", body);
        }
        return values;
    }
}
