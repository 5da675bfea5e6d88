package io.plugboard.universal;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A CRM's record to a {@link Person} and a {@link PersonInput} to the CRM's record, as a mapping's fields say. */
final class PersonTranslation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<DateTimeFormatter> TIMESTAMPS = List.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME,
            new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HHMM", "Z")
                    .toFormatter(),
            // Pipedrive's API v1 writes UTC times without an offset, the day and time apart by a space.
            new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ')
                    .append(DateTimeFormatter.ISO_LOCAL_TIME).parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
                    .toFormatter());

    private PersonTranslation() {
    }

    static Person read(CrmMapping.Model model, JsonNode record, @Nullable JsonNode original) {
        var fields = model.fields();
        String id = scalar(record, fields.get("id"));
        String firstName = scalar(record, fields.get("firstName"));
        String lastName = scalar(record, fields.get("lastName"));
        String name = scalar(record, fields.get("name"));
        if (name == null && (firstName != null || lastName != null)) {
            name = joined(firstName, lastName);
        }
        var originalIds = new LinkedHashMap<String, String>();
        if (id != null) {
            originalIds.put(fields.get("id").member(), id);
        }
        return new Person(id == null ? "" : id, firstName, lastName, name,
                contactPoints(record, fields.get("emails")), contactPoints(record, fields.get("phones")),
                addresses(record, fields.get("addresses")), tags(record, fields.get("tags")),
                scalar(record, fields.get("stage")), scalar(record, fields.get("source")),
                scalar(record, fields.get("assignedUserId")), time(record, fields.get("createdAt")),
                time(record, fields.get("updatedAt")), originalIds, original);
    }

    /**
     * The CRM's record for the fields given; {@code creating} admits the fields the CRM takes only on creation.
     * A CRM with a full name but no first and last name gets them joined.
     */
    static ObjectNode write(CrmMapping.Model model, PersonInput input, boolean creating) {
        var fields = model.fields();
        var values = new LinkedHashMap<String, Object>();
        putIfPresent(values, "firstName", input.firstName());
        putIfPresent(values, "lastName", input.lastName());
        String name = input.name();
        // A change of only one half cannot be joined without the other: the CRM's full name is left alone.
        boolean joinable = creating ? input.firstName() != null || input.lastName() != null
                : input.firstName() != null && input.lastName() != null;
        // A CRM keeping first and last name read-only (Pipedrive's API takes only the full name) gets them joined.
        boolean namesWritable = fields.containsKey("firstName") && !model.readOnly().contains("firstName");
        if (name == null && !namesWritable && joinable) {
            name = joined(input.firstName(), input.lastName());
        }
        putIfPresent(values, "name", name);
        putIfPresent(values, "emails", input.emails());
        putIfPresent(values, "phones", input.phones());
        putIfPresent(values, "addresses", input.addresses());
        putIfPresent(values, "tags", input.tags());
        putIfPresent(values, "stage", input.stage());
        putIfPresent(values, "source", input.source());
        putIfPresent(values, "assignedUserId", input.assignedUserId());
        ObjectNode body = NODES.objectNode();
        for (var entry : values.entrySet()) {
            var field = fields.get(entry.getKey());
            if (field == null || model.readOnly().contains(entry.getKey())
                    || (!creating && model.createOnly().contains(entry.getKey()))) {
                continue;
            }
            if (field.single() != null && entry.getKey().equals("addresses")) {
                writeSingleAddress(body, field, (List<?>) entry.getValue());
                continue;
            }
            JsonNode value = switch (entry.getValue()) {
                case String text -> scalarNode(field, text);
                case List<?> list when entry.getKey().equals("tags") -> tagNodes(field, list);
                case List<?> list when entry.getKey().equals("addresses") -> addressNodes(field, list);
                case List<?> list -> contactPointNodes(field, list);
                default -> throw new IllegalStateException("unexpected value for " + entry.getKey());
            };
            if (value != null) {
                JsonPaths.put(body, field.member(), value);
            }
        }
        return body;
    }

    /** The input's single values by universal field, for write templates. */
    static Map<String, Object> scalars(PersonInput input) {
        var values = new LinkedHashMap<String, Object>();
        putIfPresent(values, "firstName", input.firstName());
        putIfPresent(values, "lastName", input.lastName());
        putIfPresent(values, "name", input.name());
        putIfPresent(values, "stage", input.stage());
        putIfPresent(values, "source", input.source());
        putIfPresent(values, "assignedUserId", input.assignedUserId());
        return values;
    }

    private static @Nullable String time(JsonNode record, CrmMapping.@Nullable Field field) {
        return field == null ? null : DayTimes.instant(record, field, scalar(record, field));
    }

    private static @Nullable String scalar(JsonNode record, CrmMapping.@Nullable Field field) {
        if (field == null || field.path() == null) {
            return null;
        }
        return text(JsonPaths.at(record, field.path()), field.values());
    }

    private static @Nullable String text(JsonNode node, Map<String, String> values) {
        if (node.isMissingNode() || node.isNull() || node.isContainer()) {
            return null;
        }
        String text = node.asString();
        return values.getOrDefault(text, text);
    }

    private static List<Person.ContactPoint> contactPoints(JsonNode record, CrmMapping.@Nullable Field field) {
        if (field == null) {
            return List.of();
        }
        if (field.single() != null) {
            String value = text(JsonPaths.at(record, field.single()), Map.of());
            return value == null || value.isBlank() ? List.of() : List.of(new Person.ContactPoint(value, null, true));
        }
        var points = new ArrayList<Person.ContactPoint>();
        if (field.item().isEmpty()) {
            for (JsonNode value : JsonPaths.at(record, field.path())) {
                if (value.isValueNode() && !value.isNull() && !value.asString().isBlank()) {
                    points.add(new Person.ContactPoint(value.asString(), null, points.isEmpty()));
                }
            }
            return List.copyOf(points);
        }
        for (JsonNode item : JsonPaths.at(record, field.path())) {
            String value = member(item, field.item().get("value"), Map.of());
            if (value != null) {
                points.add(new Person.ContactPoint(value, member(item, field.item().get("type"), field.values()),
                        field.item().containsKey("isPrimary") && truthy(JsonPaths.at(item, field.item().get("isPrimary")))));
            }
        }
        return List.copyOf(points);
    }

    private static List<Person.Address> addresses(JsonNode record, CrmMapping.@Nullable Field field) {
        if (field == null) {
            return List.of();
        }
        if (field.single() != null) {
            var address = address(JsonPaths.at(record, field.single()), field);
            boolean empty = address.street() == null && address.city() == null && address.state() == null
                    && address.postalCode() == null && address.country() == null;
            return empty ? List.of() : List.of(address);
        }
        var addresses = new ArrayList<Person.Address>();
        for (JsonNode node : JsonPaths.at(record, field.path())) {
            addresses.add(address(node, field));
        }
        return List.copyOf(addresses);
    }

    private static Person.Address address(JsonNode node, CrmMapping.Field field) {
        var item = field.item();
        return new Person.Address(member(node, item.get("type"), field.values()),
                member(node, item.get("street"), Map.of()), member(node, item.get("city"), Map.of()),
                member(node, item.get("state"), Map.of()), member(node, item.get("postalCode"), Map.of()),
                member(node, item.get("country"), Map.of()));
    }

    private static List<String> tags(JsonNode record, CrmMapping.@Nullable Field field) {
        if (field == null || field.path() == null) {
            return List.of();
        }
        var tags = new ArrayList<String>();
        String name = field.item().get("value");
        JsonPaths.at(record, field.path()).forEach(item -> {
            JsonNode tag = name == null ? item : JsonPaths.at(item, name);
            if (tag.isValueNode() && !tag.isNull()) {
                tags.add(tag.asString());
            }
        });
        return List.copyOf(tags);
    }

    private static @Nullable String member(JsonNode item, @Nullable String path, Map<String, String> values) {
        return path == null ? null : text(JsonPaths.at(item, path), values);
    }

    /** CRMs say "primary" as true, 1 or "1". */
    private static boolean truthy(JsonNode node) {
        return node.asBoolean(false) || node.asInt(0) == 1 || "1".equals(node.asString(""));
    }

    /**
     * ISO-8601 in UTC whatever offset the CRM wrote, also without the offset's colon as Salesforce writes it
     * ({@code 2024-05-01T12:00:00.000+0000}), or without an offset and with a space as Pipedrive's API v1 writes
     * UTC ({@code 2024-05-01 12:00:00}); a value that is no timestamp is passed on as it is.
     */
    static @Nullable String instant(@Nullable String value) {
        if (value == null) {
            return null;
        }
        if (isUtcToTheSecond(value)) {
            // Already the form Instant.toString() writes (most CRMs write it): parsing it would only write it again.
            return value;
        }
        for (DateTimeFormatter format : TIMESTAMPS) {
            try {
                return OffsetDateTime.parse(value, format).toInstant().toString();
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        return value;
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ}, digits where digits go. */
    private static boolean isUtcToTheSecond(String value) {
        if (value.length() != 20 || value.charAt(19) != 'Z') {
            return false;
        }
        for (int i = 0; i < 19; i++) {
            char c = value.charAt(i);
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                default -> c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String joined(@Nullable String first, @Nullable String last) {
        String joined = ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
        return joined.isEmpty() ? null : joined;
    }

    static JsonNode scalarNode(CrmMapping.Field field, String value) {
        String mapped = reverse(field.values(), value);
        if (field.number()) {
            try {
                return NODES.numberNode(Long.parseLong(mapped));
            } catch (NumberFormatException e) {
                throw new UniversalException(400, "invalid-request", "The CRM keeps this value as a number: " + value);
            }
        }
        return NODES.stringNode(mapped);
    }

    private static String reverse(Map<String, String> values, String universal) {
        return values.entrySet().stream().filter(e -> e.getValue().equals(universal)).map(Map.Entry::getKey)
                .findFirst().orElse(universal);
    }

    private static ArrayNode tagNodes(CrmMapping.Field field, List<?> list) {
        ArrayNode array = NODES.arrayNode();
        String name = field.item().get("value");
        for (Object tag : list) {
            if (name == null) {
                array.add(String.valueOf(tag));
            } else {
                ObjectNode item = NODES.objectNode();
                JsonPaths.put(item, name, NODES.stringNode(String.valueOf(tag)));
                array.add(item);
            }
        }
        return array;
    }

    private static @Nullable JsonNode contactPointNodes(CrmMapping.Field field, List<?> list) {
        if (field.single() != null) {
            // One value held: the primary one, else the first; an empty list clears it.
            return list.stream().map(Person.ContactPoint.class::cast).filter(Person.ContactPoint::isPrimary)
                    .findFirst().or(() -> list.stream().map(Person.ContactPoint.class::cast).findFirst())
                    .<JsonNode>map(p -> NODES.stringNode(p.value())).orElse(NODES.nullNode());
        }
        ArrayNode array = NODES.arrayNode();
        if (field.item().isEmpty()) {
            // Plain values: the primary one first, as the CRM reads the first as the main one.
            list.stream().map(Person.ContactPoint.class::cast).sorted((a, b) -> Boolean.compare(b.isPrimary(), a.isPrimary()))
                    .forEach(p -> array.add(p.value()));
            return array;
        }
        for (Object o : list) {
            var point = (Person.ContactPoint) o;
            ObjectNode item = NODES.objectNode();
            JsonPaths.put(item, field.item().get("value"), NODES.stringNode(point.value()));
            if (point.type() != null && field.item().containsKey("type")) {
                JsonPaths.put(item, field.item().get("type"), NODES.stringNode(reverse(field.values(), point.type())));
            }
            if (field.item().containsKey("isPrimary")) {
                JsonPaths.put(item, field.item().get("isPrimary"), NODES.booleanNode(point.isPrimary()));
            }
            array.add(item);
        }
        return array;
    }

    /**
     * One address held as members of one object: the first address's members go there; an empty list clears
     * them (empty text, as CRMs with flat text members take it).
     */
    private static void writeSingleAddress(ObjectNode body, CrmMapping.Field field, List<?> list) {
        var address = list.isEmpty() ? null : (Person.Address) list.getFirst();
        var values = new LinkedHashMap<String, @Nullable String>();
        values.put("type", address == null ? "" : address.type() == null ? null : reverse(field.values(), address.type()));
        values.put("street", address == null ? "" : address.street());
        values.put("city", address == null ? "" : address.city());
        values.put("state", address == null ? "" : address.state());
        values.put("postalCode", address == null ? "" : address.postalCode());
        values.put("country", address == null ? "" : address.country());
        values.forEach((key, value) -> {
            if (value != null && field.item().containsKey(key)) {
                JsonPaths.put(body, field.single() + "." + field.item().get(key), NODES.stringNode(value));
            }
        });
    }

    private static ArrayNode addressNodes(CrmMapping.Field field, List<?> list) {
        ArrayNode array = NODES.arrayNode();
        for (Object o : list) {
            var address = (Person.Address) o;
            ObjectNode item = NODES.objectNode();
            var values = new LinkedHashMap<String, String>();
            putIfPresent(values, "type", address.type() == null ? null : reverse(field.values(), address.type()));
            putIfPresent(values, "street", address.street());
            putIfPresent(values, "city", address.city());
            putIfPresent(values, "state", address.state());
            putIfPresent(values, "postalCode", address.postalCode());
            putIfPresent(values, "country", address.country());
            values.forEach((key, value) -> {
                if (field.item().containsKey(key)) {
                    JsonPaths.put(item, field.item().get(key), NODES.stringNode(value));
                }
            });
            array.add(item);
        }
        return array;
    }

    private static <V> void putIfPresent(Map<String, V> values, String key, @Nullable V value) {
        if (value != null) {
            values.put(key, value);
        }
    }
}
