package io.plugboard.dashboard.ui;

import java.util.Locale;

/**
 * Writes SVG and HTML markup. Every text and attribute value goes through {@link #escape}, so names from tenant custom
 * connectors (or anything else) cannot close an element, open a script or break out of an attribute.
 */
final class MarkupBuilder {

    private final StringBuilder out = new StringBuilder(4096);

    /** {@code <tag name="value" …>}; {@code attributes} alternates names (constants) and values (escaped). */
    MarkupBuilder open(String tag, Object... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    /** {@code <tag name="value" …/>}. */
    MarkupBuilder empty(String tag, Object... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append("/>");
        return this;
    }

    MarkupBuilder close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    MarkupBuilder text(String text) {
        out.append(escape(text));
        return this;
    }

    /** {@code <tag …>text</tag>}. */
    MarkupBuilder element(String tag, String text, Object... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    String build() {
        return out.toString();
    }

    private void attributes(Object[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"").append(escape(value(attributes[i + 1]))).append('"');
        }
    }

    private static String value(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    /** Coordinates with at most two decimals, never in a locale's format. */
    static String number(double value) {
        String text = String.format(Locale.ROOT, "%.2f", value);
        text = text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
        return text.equals("-0") ? "0" : text;
    }

    /**
     * Escapes the five characters markup gives a meaning and drops characters XML does not allow at all
     * (control characters), so the result is always well-formed text for an element or an attribute.
     */
    static String escape(String text) {
        var escaped = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> {
                    boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    if (allowed) {
                        escaped.appendCodePoint(c);
                    }
                }
            }
        });
        return escaped.toString();
    }
}
