package io.plugboard.sync;

import io.plugboard.universal.ListQuery;
import io.plugboard.universal.Note;
import io.plugboard.universal.PeopleQuery;
import io.plugboard.universal.Person;
import io.plugboard.universal.Task;
import io.plugboard.universal.UniversalCrm;
import io.plugboard.universal.User;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one page of a model through the Universal CRM engine (the proxy's path: token refresh, retries, call log
 * with source UNIVERSAL) and turns its records into rows of the model's table.
 */
@Component
class SyncPages {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One record as its table stores it: the values in {@link SyncModel#columns()} order. */
    record Row(String providerId, List<@Nullable Object> values, String original) {
    }

    /** A page of rows and the cursor of the next page, null after the last. */
    record Page(List<Row> rows, @Nullable String nextCursor) {
    }

    private final UniversalCrm crm;

    SyncPages(UniversalCrm crm) {
        this.crm = crm;
    }

    /**
     * The page at {@code cursor}, or the first page of a pass (of the records updated since {@code updatedSince},
     * where given). A cursor carries its pass's filters and page size, so neither is sent with it.
     */
    Page fetch(UniversalCrm.Caller caller, SyncModel model, @Nullable String cursor, @Nullable Instant updatedSince,
               int pageSize) {
        @Nullable Integer limit = cursor == null ? pageSize : null;
        return switch (model) {
            case PEOPLE -> {
                var page = crm.listPeople(caller, new PeopleQuery(limit, cursor, cursor == null ? updatedSince : null,
                        null, null, null), true);
                yield new Page(page.items().stream().map(SyncPages::person).toList(), page.nextCursor());
            }
            case NOTES -> {
                var page = crm.listNotes(caller, new ListQuery(limit, cursor, Map.of()), true);
                yield new Page(page.items().stream().map(SyncPages::note).toList(), page.nextCursor());
            }
            case TASKS -> {
                var page = crm.listTasks(caller, new ListQuery(limit, cursor, Map.of()), true);
                yield new Page(page.items().stream().map(SyncPages::task).toList(), page.nextCursor());
            }
            case USERS -> {
                var page = crm.listUsers(caller, new ListQuery(limit, cursor, Map.of()), true);
                yield new Page(page.items().stream().map(SyncPages::user).toList(), page.nextCursor());
            }
        };
    }

    static Row person(Person p) {
        return new Row(p.id(), values(p.firstName(), p.lastName(), p.name(), json(p.emails()), json(p.phones()),
                json(p.addresses()), json(p.tags()), p.stage(), p.source(), p.assignedUserId(), search(p),
                time(p.createdAt()), time(p.updatedAt())), original(p.original()));
    }

    static Row note(Note n) {
        return new Row(n.id(), values(n.personId(), n.body(), n.createdByUserId(), time(n.createdAt()),
                time(n.updatedAt())), original(n.original()));
    }

    static Row task(Task t) {
        return new Row(t.id(), values(t.personId(), t.title(), t.description(), time(t.dueAt()), t.completed(),
                time(t.completedAt()), t.assignedUserId(), time(t.createdAt()), time(t.updatedAt())),
                original(t.original()));
    }

    static Row user(User u) {
        return new Row(u.id(), values(u.name(), u.firstName(), u.lastName(), u.email(), u.role(), u.active()),
                original(u.original()));
    }

    /**
     * What {@code q} finds a person by: the name, e-mail addresses and phone numbers in lower case, and each phone
     * number's digits alone too, so 555-555-1234 is found as 5555551234.
     */
    static String search(Person p) {
        var words = new ArrayList<String>();
        if (p.name() != null) {
            words.add(p.name());
        } else {
            Stream.of(p.firstName(), p.lastName()).filter(Objects::nonNull).forEach(words::add);
        }
        p.emails().forEach(e -> words.add(e.value()));
        p.phones().forEach(phone -> {
            words.add(phone.value());
            words.add(phone.value().replaceAll("\\D", ""));
        });
        return words.stream().filter(w -> !w.isBlank()).collect(Collectors.joining(" ")).toLowerCase(Locale.ROOT);
    }

    private static List<@Nullable Object> values(@Nullable Object... values) {
        return Arrays.asList(values);
    }

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    private static String original(@Nullable JsonNode original) {
        return original == null || original.isMissingNode() ? "{}" : JSON.writeValueAsString(original);
    }

    /** The engine's ISO-8601 text as a timestamp; null when the CRM gave none or one that is not a time. */
    private static @Nullable OffsetDateTime time(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
