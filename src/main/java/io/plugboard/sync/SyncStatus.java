package io.plugboard.sync;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** How the sync of one model of a credential stands. */
@Schema(description = "The sync of one model of a credential", example = """
        {"model": "people", "state": "scheduled", "phase": "incremental", "frequencyMinutes": 15,
         "lastRunAt": "2026-12-07T21:00:00Z", "lastSuccessAt": "2026-12-07T21:00:04Z",
         "nextRunAt": "2026-12-07T21:15:04Z", "records": 48210, "lastError": null, "lastErrorAt": null,
         "consecutiveFailures": 0, "pausedReason": null}""")
public record SyncStatus(
        @Schema(example = "people") String model,
        @Schema(description = "scheduled, running, failing (the last run failed; it is retried with backoff) "
                + "or paused", example = "scheduled") String state,
        @Schema(description = "backfill until the first complete pass, then incremental", example = "incremental")
        String phase,
        int frequencyMinutes,
        @Nullable Instant lastRunAt,
        @Schema(description = "When a pass last completed") @Nullable Instant lastSuccessAt,
        @Schema(description = "When it runs next (while not paused)") Instant nextRunAt,
        @Schema(description = "Records stored, not counting those the CRM no longer has") long records,
        @Nullable String lastError,
        @Nullable Instant lastErrorAt,
        int consecutiveFailures,
        @Schema(description = "admin (paused through the API or portal) or credential (revoked or needing "
                + "reconnect); null unless paused") @Nullable String pausedReason) {
}
