package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A task (follow-up, call, to-do) in the Universal CRM model.
 *
 * @param originalIds the provider's own ids, by the provider's field name
 * @param original    the provider's untouched record, only with {@code include=original}
 */
@Schema(description = "A task (follow-up, call, to-do) in the Universal CRM model", example = """
        {"id": "310", "personId": "123", "title": "Call about the viewing", "description": null,
         "dueAt": "2026-03-05T17:00:00Z", "completed": false, "completedAt": null, "assignedUserId": "7",
         "createdAt": "2026-03-02T15:04:05Z", "updatedAt": "2026-03-02T15:04:05Z", "originalIds": {"id": "310"}}""")
public record Task(
        @Schema(description = "The provider's id of the task, as a string", example = "310") String id,
        @Schema(description = "The id of the person the task is about", example = "123") @Nullable String personId,
        @Schema(example = "Call about the viewing") @Nullable String title,
        @Nullable String description,
        @Schema(description = "When it is due, ISO-8601 UTC", example = "2026-03-05T17:00:00Z") @Nullable String dueAt,
        @Schema(description = "Whether it is done") boolean completed,
        @Schema(description = "ISO-8601 UTC, where the CRM says") @Nullable String completedAt,
        @Schema(description = "The id of the CRM user the task is assigned to", example = "7") @Nullable String assignedUserId,
        @Schema(description = "ISO-8601 UTC", example = "2026-03-02T15:04:05Z") @Nullable String createdAt,
        @Schema(description = "ISO-8601 UTC", example = "2026-03-02T15:04:05Z") @Nullable String updatedAt,
        Map<String, String> originalIds,
        @Schema(description = "The provider's untouched record; only with include=original") @Nullable JsonNode original) {
}
