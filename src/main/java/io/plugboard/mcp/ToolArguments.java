package io.plugboard.mcp;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool call's arguments, read as the REST API reads its query parameters: a wrong type or an over-long value is a
 * 400 naming the argument, whatever the client's own schema checks let through.
 */
final class ToolArguments {

    static final int MAX_TEXT = 500;

    private final Map<String, Object> values;

    ToolArguments(@Nullable Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    Map<String, Object> all() {
        return values;
    }

    @Nullable String text(String name, int maxLength) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidRequestException(name + ": must be a string");
        }
        String line = TextInput.line(name, text.strip(), maxLength);
        return line == null || line.isEmpty() ? null : line;
    }

    String required(String name, int maxLength) {
        String text = text(name, maxLength);
        if (text == null) {
            throw new InvalidRequestException(name + ": is required");
        }
        return text;
    }

    @Nullable Integer integer(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && Math.abs(number.doubleValue()) <= Integer.MAX_VALUE) {
            return number.intValue();
        }
        throw new InvalidRequestException(name + ": must be a whole number");
    }
}
