package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A user of the CRM (agent, owner) in the Universal CRM model: whom people and tasks can be assigned to.
 *
 * @param originalIds the provider's own ids, by the provider's field name
 * @param original    the provider's untouched record, only with {@code include=original}
 */
@Schema(description = "A user of the CRM (agent, owner): whom people and tasks are assigned to", example = """
        {"id": "7", "name": "Jane Agent", "firstName": "Jane", "lastName": "Agent", "email": "jane@example.com",
         "role": "Agent", "active": true, "originalIds": {"id": "7"}}""")
public record User(
        @Schema(description = "The provider's id of the user, as a string", example = "7") String id,
        @Schema(description = "The full name (from the provider, or first and last name joined)") @Nullable String name,
        @Nullable String firstName,
        @Nullable String lastName,
        @Schema(example = "jane@example.com") @Nullable String email,
        @Schema(description = "The CRM's own role name", example = "Agent") @Nullable String role,
        @Schema(description = "Whether the user can sign in, where the CRM says") @Nullable Boolean active,
        Map<String, String> originalIds,
        @Schema(description = "The provider's untouched record; only with include=original") @Nullable JsonNode original) {
}
