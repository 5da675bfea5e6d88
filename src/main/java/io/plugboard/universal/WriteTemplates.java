package io.plugboard.universal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A write operation's template: members the written record carries besides its mapped fields. CRMs need them for
 * constants (HubSpot's association type 202, Zoho's parent module), for the time of writing (HubSpot's required
 * {@code hs_timestamp}) and for a value written somewhere other than where it is read (HubSpot reads a note's
 * contact from {@code associations.contacts.results}, but takes it in a top-level {@code associations} list).
 *
 * <p>Text in a template may hold {@code {now}} (ISO-8601 UTC), {@code {now:epochMillis}}, {@code {field}} (the
 * input's value of a universal field, written as that field would be when it is the whole text) and
 * {@code {field:n}} (the value's first line cut to n characters: a title made from a body) and
 * {@code {field:epochMillis}} (a time field's instant in milliseconds since the epoch: Lofty's V1 task deadline,
 * read elsewhere as ISO-8601). A top-level member
 * holding a placeholder the input has no value for is left out whole. A member named {@code /path} goes to that
 * path from the top of the request body rather than into the record.
 */
final class WriteTemplates {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> LISTS = Set.of("emails", "phones", "addresses", "tags");
    private static final Pattern CUT = Pattern.compile("([A-Za-z]+):([1-9][0-9]{0,4})");
    private static final Pattern MILLIS = Pattern.compile("([A-Za-z]+):epochMillis");

    private WriteTemplates() {
    }

    /** The members a template adds: those of the record, and those at the top of the request body. */
    record Members(ObjectNode record, ObjectNode top) {
    }

    /** True when {@code name} (the text between braces) is a placeholder a template of this model can hold. */
    static boolean knows(CrmMapping.Kind kind, String name) {
        if (name.equals("now") || name.equals("now:epochMillis")) {
            return true;
        }
        Matcher millis = MILLIS.matcher(name);
        if (millis.matches()) {
            return kind.isInstant(millis.group(1));
        }
        Matcher cut = CUT.matcher(name);
        String field = cut.matches() ? cut.group(1) : name;
        // A person's lists have no single value to put in a text.
        return kind.fields().contains(field) && !(kind == CrmMapping.Kind.PEOPLE && LISTS.contains(field));
    }

    static Members apply(CrmMapping.Kind kind, CrmMapping.Model model, @Nullable JsonNode template,
                         Map<String, Object> values, Instant now) {
        var members = new Members(NODES.objectNode(), NODES.objectNode());
        if (template == null) {
            return members;
        }
        var resolver = new Resolver(kind, model, values, now.truncatedTo(ChronoUnit.SECONDS));
        for (var entry : template.properties()) {
            JsonNode value = resolver.resolve(entry.getValue());
            if (value == null) {
                continue;
            }
            String name = entry.getKey();
            if (name.startsWith("/")) {
                JsonPaths.put(members.top(), name.substring(1), value);
            } else {
                JsonPaths.put(members.record(), name, value);
            }
        }
        return members;
    }

    /** {@code over}'s members put into {@code base}, objects merged member by member: the mapped fields win. */
    static ObjectNode merge(ObjectNode base, ObjectNode over) {
        for (var entry : over.properties()) {
            JsonNode existing = base.get(entry.getKey());
            if (existing instanceof ObjectNode inner && entry.getValue() instanceof ObjectNode overInner) {
                merge(inner, overInner);
            } else {
                base.set(entry.getKey(), entry.getValue());
            }
        }
        return base;
    }

    /** Fills a template's placeholders; null stands for a value the input does not have. */
    private record Resolver(CrmMapping.Kind kind, CrmMapping.Model model, Map<String, Object> values, Instant now) {

        @Nullable JsonNode resolve(JsonNode node) {
            if (node.isString()) {
                return text(node.asString());
            }
            if (node.isObject()) {
                ObjectNode copy = NODES.objectNode();
                for (var entry : node.properties()) {
                    JsonNode value = resolve(entry.getValue());
                    if (value == null) {
                        return null;
                    }
                    copy.set(entry.getKey(), value);
                }
                return copy;
            }
            if (node.isArray()) {
                ArrayNode copy = NODES.arrayNode();
                for (JsonNode item : node) {
                    JsonNode value = resolve(item);
                    if (value == null) {
                        return null;
                    }
                    copy.add(value);
                }
                return copy;
            }
            return node.deepCopy();
        }

        private @Nullable JsonNode text(String text) {
            Matcher matcher = PLACEHOLDER.matcher(text);
            if (matcher.matches()) {
                return whole(matcher.group(1));
            }
            matcher.reset();
            var written = new StringBuilder();
            while (matcher.find()) {
                JsonNode value = whole(matcher.group(1));
                if (value == null) {
                    return null;
                }
                matcher.appendReplacement(written, Matcher.quoteReplacement(value.asString()));
            }
            matcher.appendTail(written);
            return NODES.stringNode(written.toString());
        }

        private @Nullable JsonNode whole(String name) {
            if (name.equals("now")) {
                return NODES.stringNode(now.toString());
            }
            if (name.equals("now:epochMillis")) {
                return NODES.numberNode(now.toEpochMilli());
            }
            Matcher millis = MILLIS.matcher(name);
            if (millis.matches()) {
                return values.get(millis.group(1)) instanceof String value ? epochMillis(millis.group(1), value) : null;
            }
            Matcher cut = CUT.matcher(name);
            if (cut.matches()) {
                return values.get(cut.group(1)) instanceof String value
                        ? NODES.stringNode(firstLine(value, Integer.parseInt(cut.group(2)))) : null;
            }
            Object value = values.get(name);
            if (value == null) {
                return null;
            }
            var field = model.fields().get(name);
            return switch (value) {
                case Boolean yes when field == null || field.values().isEmpty() -> NODES.booleanNode(yes);
                case Boolean yes -> PersonTranslation.scalarNode(field, yes.toString());
                case String text when kind.isInstant(name) -> NODES.stringNode(PersonTranslation.instant(text));
                case String text when field != null -> PersonTranslation.scalarNode(field, text);
                case String text -> NODES.stringNode(text);
                default -> null;
            };
        }
    }

    private static JsonNode epochMillis(String field, String value) {
        try {
            return NODES.numberNode(Instant.parse(Objects.requireNonNull(PersonTranslation.instant(value))).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new UniversalException(400, "invalid-request", field + ": must be an ISO-8601 timestamp.");
        }
    }

    private static String firstLine(String text, int length) {
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() <= length ? line : line.substring(0, length);
    }
}
