package io.plugboard.universal;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One credential's outcome in a console run of a Universal operation: the answer (each record with the
 * provider's own in {@code original}), or the status and message of the refusal.
 */
public record UniversalRun(String credentialId, ConsoleOperation operation, int status, long durationMs,
                           @Nullable JsonNode answer, @Nullable String error, @Nullable String problem) {

    /** The answer as the Universal API gives it without {@code include=original}; null for a refusal. */
    public @Nullable JsonNode normalized() {
        if (answer == null) {
            return null;
        }
        JsonNode copy = answer.deepCopy();
        for (JsonNode record : operation.records(copy)) {
            if (record instanceof ObjectNode object) {
                object.remove("original");
            }
        }
        return copy;
    }

    /** The normalized records, for a table. */
    public List<JsonNode> records() {
        JsonNode normalized = normalized();
        return normalized == null ? List.of() : operation.records(normalized);
    }

    /** The provider's untouched record (a list operation: each one, in order); null for a refusal. */
    public @Nullable JsonNode original() {
        if (answer == null) {
            return null;
        }
        if (!operation.lists()) {
            return answer.path("original");
        }
        ArrayNode originals = JsonNodeFactory.instance.arrayNode();
        operation.records(answer).forEach(r -> originals.add(r.path("original")));
        return originals;
    }

    /** Whether the CRM holds more than this page (a list's {@code nextCursor}). */
    public boolean more() {
        return answer != null && answer.path("nextCursor").isString();
    }
}
