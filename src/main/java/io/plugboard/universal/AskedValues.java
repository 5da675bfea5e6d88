package io.plugboard.universal;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a list's filters say about every record it answers: a list of one person's notes holds that person's
 * notes whether or not each record names the person (HubSpot's search answers records without their
 * associations, so without the contact they are on).
 */
final class AskedValues {

    private AskedValues() {
    }

    /**
     * The record to read: itself, or a copy holding, for each filter that is also a field of the model, the value
     * asked for at that field's path where the record has none. The record itself is left as the CRM sent it (it
     * is the {@code original} a caller may ask for).
     */
    static JsonNode filled(CrmMapping.Kind kind, CrmMapping.Model model, JsonNode record, Map<String, String> filters) {
        if (!record.isObject()) {
            return record;
        }
        ObjectNode copy = null;
        for (var filter : filters.entrySet()) {
            var field = kind.fields().contains(filter.getKey()) ? model.fields().get(filter.getKey()) : null;
            if (field == null || field.path() == null) {
                continue;
            }
            JsonNode present = JsonPaths.at(record, field.path());
            if (!present.isMissingNode() && !present.isNull()) {
                continue;
            }
            if (copy == null) {
                copy = (ObjectNode) record.deepCopy();
            }
            JsonPaths.put(copy, field.path(), copy.stringNode(filter.getValue()));
        }
        return copy == null ? record : copy;
    }
}
