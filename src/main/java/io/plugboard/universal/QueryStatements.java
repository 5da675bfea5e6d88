package io.plugboard.universal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a list's query statement (Salesforce's SOQL) from a mapping's template and clauses. Every value a caller
 * sends becomes a quoted literal with the language's escapes, or a validated timestamp, and placeholders are
 * filled in one pass so a value can never be read as part of the template: filters cannot inject query text.
 */
final class QueryStatements {

    private static final Pattern CLAUSE_PLACEHOLDER = Pattern.compile("\\{(text|contains|timestamp)}");
    private static final Pattern STATEMENT_PLACEHOLDER = Pattern.compile("\\{(where|limit)}");

    private QueryStatements() {
    }

    /** The query's statement: its own clauses, then those given, behind WHERE, and the page size. */
    static String statement(CrmMapping.Query query, List<String> clauses, int limit) {
        var all = new ArrayList<String>(query.where().size() + clauses.size());
        all.addAll(query.where());
        all.addAll(clauses);
        return statement(query.template(), all, limit);
    }

    /** The template with its clauses joined behind WHERE (none: no WHERE) and the page size. */
    static String statement(String template, List<String> clauses, int limit) {
        String where = clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        return fill(STATEMENT_PLACEHOLDER, template, name -> name.equals("where") ? where : String.valueOf(limit));
    }

    /** One clause with the value in place of its placeholder. */
    static String clause(CrmMapping.Query.Literals literals, String clause, String value) {
        return fill(CLAUSE_PLACEHOLDER, clause, name -> switch (name) {
            case "text" -> "'" + escape(literals, value, false) + "'";
            case "contains" -> "'%" + escape(literals, value, true) + "%'";
            default -> timestamp(value);
        });
    }

    private static String fill(Pattern placeholders, String template, java.util.function.Function<String, String> value) {
        Matcher matcher = placeholders.matcher(template);
        var out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.apply(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * SOQL's quoted string escapes: backslash, both quotes, the control characters it names, any other control
     * character as backslash-u; in a LIKE pattern also its wildcards.
     */
    static String escape(CrmMapping.Query.Literals literals, String value, boolean pattern) {
        var out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '%', '_' -> out.append(pattern ? "\\" : "").append(c);
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Unquoted, so only an instant is admitted, written back in its one ISO-8601 UTC form. */
    private static String timestamp(String value) {
        try {
            return Instant.parse(value).toString();
        } catch (DateTimeParseException e) {
            throw new UniversalException(400, "invalid-request", "updatedSince: not an ISO-8601 timestamp.");
        }
    }
}
