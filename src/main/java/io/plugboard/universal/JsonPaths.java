package io.plugboard.universal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Dotted member paths ({@code _metadata.next}, {@code data.0.details.id}) into JSON; "" is the node itself. */
final class JsonPaths {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonPaths() {
    }

    static JsonNode at(JsonNode node, String path) {
        if (path.isEmpty()) {
            return node;
        }
        JsonNode current = node;
        for (String member : path.split("\\.")) {
            current = current.isArray() && isIndex(member) ? current.path(Integer.parseInt(member)) : current.path(member);
        }
        return current;
    }

    /** Sets the member at the path, creating what is missing on the way; a number member is an array index. */
    static void put(ObjectNode node, String path, JsonNode value) {
        String[] members = path.split("\\.");
        JsonNode current = node;
        for (int i = 0; i < members.length; i++) {
            boolean last = i == members.length - 1;
            JsonNode child = last ? value : isIndex(members[i + 1]) ? NODES.arrayNode() : NODES.objectNode();
            JsonNode existing = isIndex(members[i]) ? current.path(Integer.parseInt(members[i])) : current.path(members[i]);
            if (!last && (existing.isObject() || existing.isArray())) {
                current = existing;
                continue;
            }
            if (current instanceof ArrayNode array) {
                int index = Integer.parseInt(members[i]);
                while (array.size() <= index) {
                    array.addNull();
                }
                array.set(index, child);
            } else {
                ((ObjectNode) current).set(members[i], child);
            }
            current = child;
        }
    }

    private static boolean isIndex(String member) {
        return !member.isEmpty() && member.length() < 4 && member.chars().allMatch(Character::isDigit);
    }
}
