package io.plugboard.sync;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Which models of a credential to keep in the database, and how often to bring them up to date. */
@Schema(description = "The models to sync (exactly these; a model left out stops, its records stay) and how often",
        example = "{\"models\": [\"people\", \"notes\"], \"frequencyMinutes\": 15}")
public record SyncSettings(
        @Schema(description = "people, notes, tasks, users: each one the credential's CRM can list",
                example = "[\"people\", \"notes\"]") @Nullable List<String> models,
        @Schema(description = "Minutes between runs, 1 to 10080 (a week); default 15", example = "15")
        @Nullable Integer frequencyMinutes) {

    public static final int DEFAULT_FREQUENCY = 15;
    public static final int MAX_FREQUENCY = 10_080;
}
