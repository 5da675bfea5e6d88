package io.plugboard.universal;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Dotted member paths ({@code _metadata.next}, {@code data.0.details.id}) into JSON; "" is the node itself. */
final class JsonPaths {

    private JsonPaths() {
    }

    static JsonNode at(JsonNode node, String path) {
        if (path.isEmpty()) {
            return node;
        }
        JsonNode current = node;
        for (String member : path.split("\\.")) {
            current = current.isArray() && !member.isEmpty() && member.chars().allMatch(Character::isDigit)
                    ? current.path(Integer.parseInt(member)) : current.path(member);
        }
        return current;
    }

    static void put(ObjectNode node, String path, JsonNode value) {
        String[] members = path.split("\\.");
        ObjectNode current = node;
        for (int i = 0; i < members.length - 1; i++) {
            JsonNode next = current.get(members[i]);
            current = next instanceof ObjectNode object ? object : current.putObject(members[i]);
        }
        current.set(members[members.length - 1], value);
    }
}
