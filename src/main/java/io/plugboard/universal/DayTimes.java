package io.plugboard.universal;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Times a CRM keeps as a day (Salesforce's {@code ActivityDate}, Zoho's {@code Due_Date}), possibly with the time
 * of day in a member of its own (Pipedrive's {@code due_date} and {@code due_time}, both UTC). The Universal API
 * speaks instants: a day is read as its midnight UTC, and an instant written as its UTC day and time.
 */
final class DayTimes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter HOURS_MINUTES = DateTimeFormatter.ofPattern("HH:mm");

    private DayTimes() {
    }

    /** A time read from the CRM, as ISO-8601 UTC (see {@link PersonTranslation#instant}). */
    static @Nullable String instant(JsonNode record, CrmMapping.Field field, @Nullable String text) {
        return text != null && field.dayOnly() ? day(record, field, text) : PersonTranslation.instant(text);
    }

    /** The instant of a day (and time of day) held apart; a value that is no day is passed on as it is. */
    private static String day(JsonNode record, CrmMapping.Field field, String day) {
        try {
            LocalTime time = LocalTime.MIDNIGHT;
            if (field.time() != null) {
                JsonNode node = JsonPaths.at(record, field.time());
                if (node.isString() && !node.asString().isBlank()) {
                    time = LocalTime.parse(node.asString().strip());
                }
            }
            return LocalDate.parse(day.strip()).atTime(time).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            return day;
        }
    }

    /** Puts the instant's UTC day at the field's path, and its time of day at the field's time member if any. */
    static void write(ObjectNode body, CrmMapping.Field field, String instant) {
        OffsetDateTime utc;
        try {
            utc = OffsetDateTime.parse(instant).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new UniversalException(400, "invalid-request", "Not a time with an offset: " + instant);
        }
        JsonPaths.put(body, field.member(), NODES.stringNode(utc.toLocalDate().toString()));
        if (field.time() != null) {
            JsonPaths.put(body, field.time(), NODES.stringNode(utc.format(HOURS_MINUTES)));
        }
    }
}
