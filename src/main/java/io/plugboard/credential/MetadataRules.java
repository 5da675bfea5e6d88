package io.plugboard.credential;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorDefinition.MetadataField;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Checks metadata against the connector's declared fields and returns it in canonical types. */
public final class MetadataRules {

    static final int MAX_STRING = 500;
    private static final int MAX_DIGITS = 100;

    private MetadataRules() {
    }

    public static Map<String, Object> validate(ConnectorDefinition connector, @Nullable Map<String, ?> metadata) {
        Map<String, ?> given = metadata == null ? Map.of() : metadata;
        Map<String, MetadataField> declared = connector.metadataFields().stream()
                .collect(Collectors.toMap(MetadataField::key, f -> f, (a, b) -> a, LinkedHashMap::new));
        for (String key : given.keySet()) {
            if (!declared.containsKey(key)) {
                throw new InvalidRequestException("metadata." + key + ": " + connector.name()
                        + " has no metadata field '" + key + "'"
                        + (declared.isEmpty() ? "" : " (fields: " + String.join(", ", declared.keySet()) + ")"));
            }
        }
        var result = new TreeMap<String, Object>();
        for (MetadataField field : declared.values()) {
            Object value = given.get(field.key());
            if (value == null || (value instanceof String s && s.isBlank())) {
                if (field.isRequired()) {
                    throw new InvalidRequestException("metadata." + field.key() + ": " + field.label() + " is required");
                }
                continue;
            }
            result.put(field.key(), typed(field, value));
        }
        return result;
    }

    private static Object typed(MetadataField field, Object value) {
        String at = "metadata." + field.key() + ": ";
        return switch (field.type()) {
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw new InvalidRequestException(at + "must be text");
                }
                if (s.strip().length() > MAX_STRING) {
                    throw new InvalidRequestException(at + "must be at most " + MAX_STRING + " characters");
                }
                Inputs.noNul("metadata." + field.key(), s);
                yield s.strip();
            }
            case NUMBER -> {
                BigDecimal number;
                try {
                    number = value instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(value.toString().strip());
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException(at + "must be a number");
                }
                // jsonb numbers are PostgreSQL numerics; 1e999999999 is a BigDecimal but not a numeric.
                if (number.precision() - number.scale() > MAX_DIGITS || number.scale() > MAX_DIGITS) {
                    throw new InvalidRequestException(at + "must have at most " + MAX_DIGITS
                            + " digits before and after the decimal point");
                }
                yield number;
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
                    yield Boolean.valueOf(s);
                }
                throw new InvalidRequestException(at + "must be true or false");
            }
        };
    }
}
