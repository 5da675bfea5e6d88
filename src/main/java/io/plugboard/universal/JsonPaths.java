package io.plugboard.universal;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dotted member paths ({@code _metadata.next}) into JSON; "" is the node itself. A segment of digits is an array
 * index ({@code data.0.details.id}, {@code filterGroups.0.filters}); in paths written to, the arrays and objects
 * on the way are made as needed.
 */
final class JsonPaths {

    private static final int MAX_CACHED_PATHS = 4_096;
    private static final Map<String, String[]> SEGMENTS = new ConcurrentHashMap<>();

    private JsonPaths() {
    }

    static JsonNode at(JsonNode node, String path) {
        if (path.isEmpty()) {
            return node;
        }
        if (path.indexOf('.') < 0) {
            return node.isArray() && isIndex(path) ? node.path(Integer.parseInt(path)) : node.path(path);
        }
        JsonNode current = node;
        for (String member : segments(path)) {
            current = current.isArray() && isIndex(member) ? current.path(Integer.parseInt(member)) : current.path(member);
        }
        return current;
    }

    /**
     * A dotted path's members, split once: the paths read are the mappings' own (a few hundred), read for every
     * field of every record of every page. Bounded all the same, should a caller ever pass paths of its own.
     */
    private static String[] segments(String path) {
        String[] cached = SEGMENTS.get(path);
        if (cached != null) {
            return cached;
        }
        String[] members = path.split("\\.");
        if (SEGMENTS.size() < MAX_CACHED_PATHS) {
            SEGMENTS.put(path, members);
        }
        return members;
    }

    static void put(ObjectNode node, String path, JsonNode value) {
        String[] members = path.split("\\.");
        ContainerNode<?> parent = container(node, members, members.length - 1);
        String last = members[members.length - 1];
        if (parent instanceof ArrayNode array) {
            int index = Integer.parseInt(last);
            grow(array, index + 1);
            array.set(index, value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    /** The array at {@code path}, made (with what leads to it) when absent. */
    static ArrayNode array(ObjectNode node, String path) {
        String[] members = path.split("\\.");
        String[] withEnd = Arrays.copyOf(members, members.length + 1);
        // A digit placeholder after the last member makes container() create an array there.
        withEnd[members.length] = "0";
        return (ArrayNode) container(node, withEnd, members.length);
    }

    /** The container holding member {@code upTo} of the path, made along the way as the next segment needs. */
    private static ContainerNode<?> container(ObjectNode node, String[] members, int upTo) {
        ContainerNode<?> current = node;
        for (int i = 0; i < upTo; i++) {
            boolean nextIsIndex = isIndex(members[i + 1]);
            if (current instanceof ArrayNode array) {
                int index = Integer.parseInt(members[i]);
                grow(array, index + 1);
                JsonNode next = array.get(index);
                if (!(next instanceof ContainerNode<?> existing) || (nextIsIndex != next.isArray())) {
                    ContainerNode<?> made = nextIsIndex ? array.arrayNode() : array.objectNode();
                    array.set(index, made);
                    current = made;
                } else {
                    current = existing;
                }
            } else {
                ObjectNode object = (ObjectNode) current;
                JsonNode next = object.get(members[i]);
                if (!(next instanceof ContainerNode<?> existing) || (nextIsIndex != next.isArray())) {
                    current = nextIsIndex ? object.putArray(members[i]) : object.putObject(members[i]);
                } else {
                    current = existing;
                }
            }
        }
        return current;
    }

    private static void grow(ArrayNode array, int size) {
        while (array.size() < size) {
            array.addObject();
        }
    }

    private static boolean isIndex(String member) {
        return !member.isEmpty() && member.chars().allMatch(Character::isDigit);
    }
}
