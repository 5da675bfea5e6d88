package io.plugboard.universal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records of the models made of single values (notes, tasks, users) to and from a CRM's record, as a mapping's
 * fields say: each field is text, a timestamp (normalized to ISO-8601 UTC) or a yes/no, as its model declares.
 * People have lists and nested values of their own and go through {@link PersonTranslation}.
 */
final class RecordTranslation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final UniversalCrm.Reader<Note> NOTE = (model, record, original) -> {
        var v = Values.of(CrmMapping.Kind.NOTES, model, record, original);
        return new Note(v.id(), v.text("personId"), v.text("body"), v.text("createdAt"), v.text("updatedAt"),
                v.text("createdByUserId"), v.originalIds(), v.original());
    };

    static final UniversalCrm.Reader<Task> TASK = (model, record, original) -> {
        var v = Values.of(CrmMapping.Kind.TASKS, model, record, original);
        return new Task(v.id(), v.text("personId"), v.text("title"), v.text("description"), v.text("dueAt"),
                Boolean.TRUE.equals(v.yes("completed")), v.text("completedAt"), v.text("assignedUserId"),
                v.text("createdAt"), v.text("updatedAt"), v.originalIds(), v.original());
    };

    static final UniversalCrm.Reader<User> USER = (model, record, original) -> {
        var v = Values.of(CrmMapping.Kind.USERS, model, record, original);
        String name = v.text("name");
        if (name == null && (v.text("firstName") != null || v.text("lastName") != null)) {
            name = ((v.text("firstName") == null ? "" : v.text("firstName")) + " "
                    + (v.text("lastName") == null ? "" : v.text("lastName"))).strip();
        }
        return new User(v.id(), name, v.text("firstName"), v.text("lastName"), v.text("email"), v.text("role"),
                v.yes("active"), v.originalIds(), v.original());
    };

    private RecordTranslation() {
    }

    /** One CRM record's universal values, read as the model's fields are mapped. */
    record Values(Map<String, Object> values, Map<String, String> originalIds, @Nullable JsonNode original) {

        static Values of(CrmMapping.Kind kind, CrmMapping.Model model, JsonNode record, @Nullable JsonNode original) {
            var values = new LinkedHashMap<String, Object>();
            for (var entry : model.fields().entrySet()) {
                var field = entry.getValue();
                if (field.path() == null) {
                    continue;
                }
                JsonNode node = JsonPaths.at(record, field.path());
                if (node.isMissingNode() || node.isNull() || node.isContainer()) {
                    continue;
                }
                String text = field.values().getOrDefault(node.asString(), node.asString());
                String name = entry.getKey();
                if (kind.isBoolean(name)) {
                    values.put(name, node.isBoolean() && field.values().isEmpty() ? node.asBoolean()
                            : text.equalsIgnoreCase("true") || text.equals("1"));
                } else {
                    values.put(name, kind.isInstant(name) ? DayTimes.instant(record, field, text) : text);
                }
            }
            var originalIds = new LinkedHashMap<String, String>();
            if (values.get("id") instanceof String id) {
                originalIds.put(model.fields().get("id").member(), id);
            }
            return new Values(values, originalIds, original);
        }

        String id() {
            return values.get("id") instanceof String id ? id : "";
        }

        @Nullable String text(String field) {
            return values.get(field) instanceof String text ? text : null;
        }

        @Nullable Boolean yes(String field) {
            return values.get(field) instanceof Boolean yes ? yes : null;
        }
    }

    /**
     * The CRM's record for the universal values given; {@code creating} admits the fields the CRM takes only on
     * creation. Values the mapping has no field for are not sent.
     */
    static ObjectNode write(CrmMapping.Kind kind, CrmMapping.Model model, Map<String, Object> values, boolean creating) {
        ObjectNode body = NODES.objectNode();
        for (var entry : values.entrySet()) {
            var field = model.fields().get(entry.getKey());
            if (field != null && field.dayOnly() && entry.getValue() instanceof String text && writable(model,
                    entry.getKey(), field, creating)) {
                DayTimes.write(body, field, text);
            }
        }
        for (var entry : values.entrySet()) {
            String name = entry.getKey();
            var field = model.fields().get(name);
            if (field == null || field.dayOnly() || !writable(model, name, field, creating)) {
                continue;
            }
            JsonNode value = switch (entry.getValue()) {
                case Boolean yes when field.values().isEmpty() -> NODES.booleanNode(yes);
                case Boolean yes -> PersonTranslation.scalarNode(field, yes.toString());
                case String text when kind.isInstant(name) -> PersonTranslation.scalarNode(field,
                        PersonTranslation.instant(text));
                case String text -> PersonTranslation.scalarNode(field, text);
                default -> throw new IllegalStateException("unexpected value for " + name);
            };
            JsonPaths.put(body, field.path(), value);
        }
        return body;
    }

    private static boolean writable(CrmMapping.Model model, String name, CrmMapping.Field field, boolean creating) {
        return field.path() != null && !model.readOnly().contains(name)
                && (creating || !model.createOnly().contains(name));
    }
}
