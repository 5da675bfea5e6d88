package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A note on a person in the Universal CRM model.
 *
 * @param originalIds the provider's own ids, by the provider's field name
 * @param original    the provider's untouched record, only with {@code include=original}
 */
@Schema(description = "A note on a person in the Universal CRM model", example = """
        {"id": "1101", "personId": "123", "body": "Called, wants a viewing on Saturday.",
         "createdAt": "2026-03-02T15:04:05Z", "updatedAt": "2026-03-02T15:04:05Z", "createdByUserId": "7",
         "originalIds": {"id": "1101"}}""")
public record Note(
        @Schema(description = "The provider's id of the note, as a string", example = "1101") String id,
        @Schema(description = "The id of the person the note is on", example = "123") @Nullable String personId,
        @Schema(description = "The note's text") @Nullable String body,
        @Schema(description = "ISO-8601 UTC", example = "2026-03-02T15:04:05Z") @Nullable String createdAt,
        @Schema(description = "ISO-8601 UTC", example = "2026-03-02T15:04:05Z") @Nullable String updatedAt,
        @Schema(description = "The id of the CRM user who wrote it, where the CRM says") @Nullable String createdByUserId,
        Map<String, String> originalIds,
        @Schema(description = "The provider's untouched record; only with include=original") @Nullable JsonNode original) {
}
