package io.plugboard.common;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one check for text that comes from outside (API bodies and parameters, portal forms) and is stored or
 * queried: it must fit its column, and PostgreSQL must be able to hold it. PostgreSQL's text and jsonb refuse
 * U+0000; an unpaired UTF-16 surrogate has no UTF-8 form, so the JDBC driver would silently store it as
 * {@code ?}; names, ids and labels are single lines. Every failure names the field, so the API answers a 400
 * problem pointing at it rather than a 500 from the database. Lengths count characters as PostgreSQL's
 * {@code varchar(n)} does (code points), after stripping, as values are stored stripped.
 */
public final class TextInput {

    /** Longest map key accepted anywhere (metadata, fields, prefill keys are short identifiers). */
    public static final int MAX_KEY = 200;
    /** Deepest nesting of a free-form JSON value (metadata); deeper is refused rather than walked. */
    private static final int MAX_DEPTH = 10;
    /** Digits before or after the decimal point that a PostgreSQL numeric in jsonb holds comfortably. */
    private static final int MAX_DIGITS = 100;

    private TextInput() {
    }

    /** A single-line value (id, name, e-mail, label): no control characters at all. Null passes. */
    public static @Nullable String line(String field, @Nullable String value, int maxLength) {
        check(field, value, maxLength, false);
        return value;
    }

    /** Free text that may span lines: tabs and line breaks are allowed, other control characters are not. */
    public static @Nullable String text(String field, @Nullable String value, int maxLength) {
        check(field, value, maxLength, true);
        return value;
    }

    /** A list whose entries are single lines; a null entry is refused by its position. */
    public static void lines(String field, @Nullable Collection<String> values, int maxLength) {
        if (values == null) {
            return;
        }
        int i = 0;
        for (String value : values) {
            String at = field + "[" + i++ + "]";
            if (value == null) {
                throw new InvalidRequestException(at + ": must not be null");
            }
            line(at, value, maxLength);
        }
    }

    /** A map of single-line keys to text values (form fields, prefill): null values are left to the caller. */
    public static void textMap(String field, @Nullable Map<String, String> values, int maxValue) {
        if (values == null) {
            return;
        }
        values.forEach((key, value) -> text(path(field, key), value, maxValue));
    }

    /**
     * A free-form JSON value bound for a jsonb column (metadata): every key and string checked, numbers finite
     * and within what a numeric holds, nesting bounded.
     */
    public static void json(String field, @Nullable Object value, int maxString) {
        json(field, value, maxString, 0);
    }

    private static void json(String field, @Nullable Object value, int maxString, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidRequestException(field + ": is nested too deeply");
        }
        switch (value) {
            case null -> { }
            case String s -> text(field, s, maxString);
            case Boolean b -> { }
            case Map<?, ?> map -> map.forEach((k, v) -> json(path(field, String.valueOf(k)), v, maxString, depth + 1));
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    json(field + "[" + i + "]", list.get(i), maxString, depth + 1);
                }
            }
            case Double d when !Double.isFinite(d) -> throw new InvalidRequestException(field + ": is not a finite number");
            case Float f when !Float.isFinite(f) -> throw new InvalidRequestException(field + ": is not a finite number");
            case BigDecimal d when d.precision() - d.scale() > MAX_DIGITS || d.scale() > MAX_DIGITS ->
                    throw new InvalidRequestException(field + ": must have at most " + MAX_DIGITS
                            + " digits before and after the decimal point");
            case BigInteger i when i.abs().toString().length() > MAX_DIGITS ->
                    throw new InvalidRequestException(field + ": must have at most " + MAX_DIGITS + " digits");
            case Number n -> { }
            default -> throw new InvalidRequestException(field + ": must be text, a number, true or false");
        }
    }

    /** {@code field.key}, where the key itself is first checked: it becomes part of what is stored and reported. */
    private static String path(String field, @Nullable String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidRequestException(field + ": keys must not be empty");
        }
        try {
            check(field, key, MAX_KEY, false);
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(field + ": a key " + e.getMessage().substring(field.length() + 2));
        }
        return field + "." + key;
    }

    private static void check(String field, @Nullable String value, int maxLength, boolean multiline) {
        if (value == null) {
            return;
        }
        int length = 0;
        int start = 0;
        int end = value.length();
        while (start < end && Character.isWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw new InvalidRequestException(field + ": must not contain NUL characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(field + ": contains an unpaired surrogate (not valid Unicode text)");
            } else if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
                throw new InvalidRequestException(field + ": must not contain control characters"
                        + (multiline ? " other than tabs and line breaks" : ""));
            }
            if (i >= start && i < end) {
                length++;
            }
        }
        if (length > maxLength) {
            throw new InvalidRequestException(field + ": must be at most " + maxLength + " characters");
        }
    }
}
