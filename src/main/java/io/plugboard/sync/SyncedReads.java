package io.plugboard.sync;

import io.plugboard.common.NotFoundException;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.CredentialView;
import io.plugboard.security.ApiPrincipal;
import io.plugboard.security.CurrentUser;
import io.plugboard.universal.ListQuery;
import io.plugboard.universal.Note;
import io.plugboard.universal.NoteInput;
import io.plugboard.universal.Page;
import io.plugboard.universal.PeopleQuery;
import io.plugboard.universal.Person;
import io.plugboard.universal.PersonInput;
import io.plugboard.universal.PersonPage;
import io.plugboard.universal.Task;
import io.plugboard.universal.TaskInput;
import io.plugboard.universal.UniversalCrm;
import io.plugboard.universal.UniversalException;
import io.plugboard.universal.UniversalMappings;
import io.plugboard.universal.User;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Where a Universal CRM request is answered from: the credential's synced records once the model's first backfill
 * is complete, the CRM itself (through {@link UniversalCrm}) before that or without a sync. Writes always go to the
 * CRM first; the record it answers then replaces the synced row, so a read right after a write sees it.
 */
@Service
public class SyncedReads {

    private static final Logger log = LoggerFactory.getLogger(SyncedReads.class);
    private static final int DEFAULT_LIMIT = 25;
    private static final int MAX_LIMIT = 100;

    /** An answer and where it comes from: {@code syncedAt} is null for the CRM's own, live answer. */
    public record Read<T>(T body, @Nullable Instant syncedAt) {

        public boolean synced() {
            return syncedAt != null;
        }
    }

    /**
     * The filters and order only the store can offer (each null when not asked for).
     *
     * @param sort updatedAt (oldest change first) or -updatedAt (newest first, the default)
     */
    public record StoreFilters(@Nullable String tag, @Nullable String stage, @Nullable String assignedUserId,
                               @Nullable String sort) {

        public static final StoreFilters NONE = new StoreFilters(null, null, null, null);

        List<String> asked() {
            var asked = new ArrayList<String>();
            if (tag != null) {
                asked.add("tag");
            }
            if (stage != null) {
                asked.add("stage");
            }
            if (assignedUserId != null) {
                asked.add("assignedUserId");
            }
            if (sort != null) {
                asked.add("sort");
            }
            return asked;
        }
    }

    /** Where the store answers: the credential's CRM's name for a record's id, and the model's last complete pass. */
    private record Store(String idMember, Instant lastSuccessAt) {
    }

    private final UniversalCrm crm;
    private final CredentialService credentials;
    private final UniversalMappings mappings;
    private final SyncedStore store;
    private final SyncedRecords records;
    private final CurrentUser currentUser;

    SyncedReads(UniversalCrm crm, CredentialService credentials, UniversalMappings mappings, SyncedStore store,
                SyncedRecords records, CurrentUser currentUser) {
        this.currentUser = currentUser;
        this.crm = crm;
        this.credentials = credentials;
        this.mappings = mappings;
        this.store = store;
        this.records = records;
    }

    // ------------------------------------------------------------------ reads

    public Read<PersonPage> people(UniversalCrm.Caller caller, PeopleQuery query, StoreFilters only, boolean original) {
        sort(only.sort());
        var filters = new LinkedHashMap<String, String>();
        if (query.updatedSince() != null) {
            filters.put("updatedSince", query.updatedSince().toString());
        }
        put(filters, "email", query.email());
        put(filters, "phone", query.phone());
        put(filters, "q", query.q());
        put(filters, "tag", only.tag());
        put(filters, "stage", only.stage());
        put(filters, "assignedUserId", only.assignedUserId());
        var stored = fromStore(caller, SyncModel.PEOPLE, query.limit(), query.cursor(), filters, only.sort(), original,
                SyncedStore::person);
        if (stored != null) {
            return new Read<>(new PersonPage(stored.body().items(), stored.body().nextCursor()), stored.syncedAt());
        }
        Store synced = store(caller, SyncModel.PEOPLE, only);
        if (synced == null) {
            return new Read<>(crm.listPeople(caller, query, original), null);
        }
        var page = page(caller, SyncModel.PEOPLE, query.limit(), query.cursor(), filters, only.sort(), original,
                request -> store.people(request, synced.idMember()));
        return new Read<>(new PersonPage(page.items(), page.nextCursor()), synced.lastSuccessAt());
    }

    public Read<Person> person(UniversalCrm.Caller caller, String id, boolean original) {
        Store synced = store(caller, SyncModel.PEOPLE, StoreFilters.NONE);
        if (synced == null) {
            return new Read<>(crm.getPerson(caller, id, original), null);
        }
        var person = store.person(caller.tenantId(), caller.credentialId(), id, synced.idMember(), original)
                .orElseThrow(() -> new UniversalException(404, "not-found",
                        "The synced people of credential " + caller.credentialId() + " have no such person."));
        return new Read<>(person.record(), person.syncedAt());
    }

    public Read<Page<Note>> notes(UniversalCrm.Caller caller, ListQuery query, StoreFilters only, boolean original) {
        sort(only.sort());
        var filters = new LinkedHashMap<>(query.filters());
        var stored = fromStore(caller, SyncModel.NOTES, query.limit(), query.cursor(), filters, only.sort(), original,
                SyncedStore::note);
        if (stored != null) {
            return stored;
        }
        Store synced = store(caller, SyncModel.NOTES, only);
        if (synced == null) {
            return new Read<>(crm.listNotes(caller, query, original), null);
        }
        return new Read<>(page(caller, SyncModel.NOTES, query.limit(), query.cursor(), filters, only.sort(), original,
                request -> store.notes(request, synced.idMember())), synced.lastSuccessAt());
    }

    public Read<Page<Task>> tasks(UniversalCrm.Caller caller, ListQuery query, StoreFilters only, boolean original) {
        sort(only.sort());
        var filters = new LinkedHashMap<>(query.filters());
        put(filters, "assignedUserId", only.assignedUserId());
        var stored = fromStore(caller, SyncModel.TASKS, query.limit(), query.cursor(), filters, only.sort(), original,
                SyncedStore::task);
        if (stored != null) {
            return stored;
        }
        Store synced = store(caller, SyncModel.TASKS, only);
        if (synced == null) {
            return new Read<>(crm.listTasks(caller, query, original), null);
        }
        return new Read<>(page(caller, SyncModel.TASKS, query.limit(), query.cursor(), filters, only.sort(), original,
                request -> store.tasks(request, synced.idMember())), synced.lastSuccessAt());
    }

    public Read<Page<User>> users(UniversalCrm.Caller caller, ListQuery query, boolean original) {
        var stored = fromStore(caller, SyncModel.USERS, query.limit(), query.cursor(),
                new LinkedHashMap<>(query.filters()), null, original, SyncedStore::user);
        if (stored != null) {
            return stored;
        }
        Store synced = store(caller, SyncModel.USERS, StoreFilters.NONE);
        if (synced == null) {
            return new Read<>(crm.listUsers(caller, query, original), null);
        }
        return new Read<>(page(caller, SyncModel.USERS, query.limit(), query.cursor(), new LinkedHashMap<>(query.filters()),
                null, original, request -> store.users(request, synced.idMember())), synced.lastSuccessAt());
    }

    // ------------------------------------------------------------------ writes: the CRM first, then the store

    public Person createPerson(UniversalCrm.Caller caller, PersonInput input, boolean original) {
        Person written = crm.createPerson(caller, input, true);
        keep(caller, SyncModel.PEOPLE, SyncPages.person(written));
        return original ? written : withoutOriginal(written);
    }

    public Person updatePerson(UniversalCrm.Caller caller, String id, PersonInput input, boolean original) {
        Person written = crm.updatePerson(caller, id, input, true);
        keep(caller, SyncModel.PEOPLE, SyncPages.person(written));
        return original ? written : withoutOriginal(written);
    }

    public Note createNote(UniversalCrm.Caller caller, NoteInput input, boolean original) {
        Note written = crm.createNote(caller, input, true);
        keep(caller, SyncModel.NOTES, SyncPages.note(written));
        return original ? written : new Note(written.id(), written.personId(), written.body(), written.createdAt(),
                written.updatedAt(), written.createdByUserId(), written.originalIds(), null);
    }

    public Task createTask(UniversalCrm.Caller caller, TaskInput input, boolean original) {
        Task written = crm.createTask(caller, input, true);
        keep(caller, SyncModel.TASKS, SyncPages.task(written));
        return original ? written : withoutOriginal(written);
    }

    public Task updateTask(UniversalCrm.Caller caller, String id, TaskInput input, boolean original) {
        Task written = crm.updateTask(caller, id, input, true);
        keep(caller, SyncModel.TASKS, SyncPages.task(written));
        return original ? written : withoutOriginal(written);
    }

    // ------------------------------------------------------------------ the choice

    /**
     * The store's terms when it answers for this credential and model: the caller sees the credential (an end
     * user's token only that end user's), it is not revoked, and the model's first backfill is complete. Null
     * otherwise, and the CRM answers as it always did (with its own 404 for a credential the caller cannot see),
     * unless {@code only} asks for what the CRM cannot give.
     */
    private @Nullable Store store(UniversalCrm.Caller caller, SyncModel model, StoreFilters only) {
        CredentialView credential;
        try {
            credential = credentials.get(caller.tenantId(), caller.credentialId());
        } catch (NotFoundException e) {
            if (!only.asked().isEmpty()) {
                throw new UniversalException(404, "credential-not-found",
                        "No credential " + caller.credentialId() + " in this tenant.");
            }
            return null;
        }
        var readiness = store.readiness(caller.tenantId(), credential.id(), model);
        if (credential.status() == CredentialStatus.REVOKED || !readiness.ready() || readiness.lastSuccessAt() == null) {
            refuse(only, model.key());
            return null;
        }
        return mappings.idMember(credential.appKey(), model.key())
                .map(member -> new Store(member, Objects.requireNonNull(readiness.lastSuccessAt()))).orElse(null);
    }

    private static void refuse(StoreFilters only, String model) {
        List<String> asked = only.asked();
        if (!asked.isEmpty()) {
            throw new UniversalException(400, "sync-required", String.join(", ", asked) + ": only synced records can "
                    + "be filtered or sorted so, and this credential's " + model + " are not synced (turn on Sync to DB "
                    + "for " + model + " and wait for its first backfill to complete).");
        }
    }

    /**
     * A page from the store in one statement that also checks the store's terms ({@link SyncedStore#page}); null
     * when they do not hold or the request is not one the store can read as it stands (a live cursor, a bad
     * limit), and then {@link #store} and the CRM decide as they always did.
     */
    private <T> @Nullable Read<Page<T>> fromStore(UniversalCrm.Caller caller, SyncModel model, @Nullable Integer limit,
                                                  @Nullable String cursorText, Map<String, String> filters,
                                                  @Nullable String sort, boolean original,
                                                  SyncedStore.RecordMapper<T> mapper) {
        Query query;
        try {
            query = query(caller, model, limit, cursorText, filters, sort, original);
        } catch (UniversalException e) {
            return null;
        }
        String endUser = currentUser.apiClient().map(ApiPrincipal::endUserId).orElse(null);
        return store.page(model, query.request(), endUser, appKey -> mappings.idMember(appKey, model.key()), mapper)
                .map(answer -> new Read<>(query.page(answer.rows()), answer.lastSuccessAt())).orElse(null);
    }

    /** A request over the store with what its next cursor must carry: the filters, page size and order in effect. */
    private record Query(SyncedStore.Request request, SyncModel model, Map<String, String> filters, int size,
                         String order) {

        <T> Page<T> page(SyncedStore.Rows<SyncedStore.Synced<T>> rows) {
            String next = rows.last() == null ? null : new SyncedCursor(model.key(), request.credentialId(),
                    Map.copyOf(filters), size, order, rows.last()).encode();
            return new Page<>(rows.items().stream().map(SyncedStore.Synced::record).toList(), next);
        }
    }

    /**
     * A page over the store. A cursor carries its query: filters, limit and order sent with it must be its own or
     * absent, as with the CRM's cursors.
     */
    private <T> Page<T> page(UniversalCrm.Caller caller, SyncModel model, @Nullable Integer limit,
                             @Nullable String cursorText, Map<String, String> filters, @Nullable String sort,
                             boolean original, Function<SyncedStore.Request, SyncedStore.Rows<SyncedStore.Synced<T>>> read) {
        var query = query(caller, model, limit, cursorText, filters, sort, original);
        return query.page(read.apply(query.request()));
    }

    private static Query query(UniversalCrm.Caller caller, SyncModel model, @Nullable Integer limit,
                               @Nullable String cursorText, Map<String, String> filters, @Nullable String sort,
                               boolean original) {
        Map<String, String> effective = filters;
        int size;
        String order;
        SyncedCursor.Position after = null;
        if (cursorText != null) {
            var cursor = SyncedCursor.decode(cursorText, caller.credentialId(), model);
            if (!filters.isEmpty() && !filters.equals(cursor.filters()) || limit != null && limit != cursor.limit()
                    || sort != null && !sort.equals(cursor.sort())) {
                throw new UniversalException(400, "invalid-cursor",
                        "cursor: it continues another query; send the cursor with the same filters and limit, or alone.");
            }
            effective = cursor.filters();
            // A cursor is the client's to send back, so what it holds is checked as a request would be.
            size = limit(cursor.limit());
            sort(cursor.sort());
            order = cursor.sort();
            after = cursor.after();
        } else {
            size = limit(limit);
            order = sort == null ? "-updatedAt" : sort;
        }
        var request = new SyncedStore.Request(caller.tenantId(), caller.credentialId(), conditions(model, effective),
                order.equals("updatedAt"), after, size, original);
        return new Query(request, model, effective, size, order);
    }

    /** The filters as SQL conditions on the model's table; each filter is validated where the request was read. */
    private static List<SyncedStore.Condition> conditions(SyncModel model, Map<String, String> filters) {
        var conditions = new ArrayList<SyncedStore.Condition>();
        filters.forEach((name, value) -> conditions.add(switch (name) {
            case "updatedSince" -> new SyncedStore.Condition("updated_at >= ?", since(value));
            case "email" -> indexed(value, new SyncedStore.Condition("EXISTS (SELECT 1 FROM "
                    + "jsonb_array_elements(emails) e WHERE lower(e->>'value') = ?)", value.toLowerCase(Locale.ROOT)));
            case "phone" -> phone(value);
            // % and _ in what is asked are literal.
            case "q" -> indexed(value, new SyncedStore.Condition("search LIKE ?", "%" + value.toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"));
            case "tag" -> new SyncedStore.Condition("tags @> jsonb_build_array(CAST(? AS text))", value);
            case "stage" -> new SyncedStore.Condition("stage = ?", value);
            case "assignedUserId" -> new SyncedStore.Condition("assigned_user_id = ?", value);
            case "personId" -> new SyncedStore.Condition("person_id = ?", value);
            default -> throw new UniversalException(400, "invalid-cursor",
                    "cursor: it continues another query; start again without one.");
        }));
        if (model == SyncModel.USERS && !conditions.isEmpty()) {
            throw new UniversalException(400, "invalid-cursor", "cursor: it continues another query; start again without one.");
        }
        return conditions;
    }

    private static OffsetDateTime since(String value) {
        try {
            return OffsetDateTime.ofInstant(Instant.parse(value), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new UniversalException(400, "invalid-cursor", "cursor: not a cursor this API returned; start again without one.");
        }
    }

    /** A phone number matches by its digits, however either side writes it (555-555-1234, (555) 555 1234). */
    private static SyncedStore.Condition phone(String value) {
        String digits = value.replaceAll("\\D", "");
        return digits.isEmpty()
                ? new SyncedStore.Condition("EXISTS (SELECT 1 FROM jsonb_array_elements(phones) p "
                        + "WHERE p->>'value' = ?)", value)
                : indexed(digits, new SyncedStore.Condition("EXISTS (SELECT 1 FROM jsonb_array_elements(phones) p "
                        + "WHERE regexp_replace(p->>'value', '\\D', '', 'g') = ?)", digits));
    }

    /**
     * A condition on a person's search text (name, e-mails, phones and their digits) found through the trigram
     * index first: LIKE and the functions above are not leakproof, so under row-level security no index can serve
     * them, and without the trigrams' leakproof containment a rare term would read every synced person.
     */
    private static SyncedStore.Condition indexed(String term, SyncedStore.Condition exact) {
        String trigrams = SearchTrigrams.of(term);
        if (trigrams == null) {
            return exact;
        }
        var parameters = new ArrayList<Object>();
        parameters.add(trigrams);
        parameters.addAll(exact.parameters());
        return new SyncedStore.Condition("search_trigrams @> CAST(? AS jsonb) AND " + exact.sql(), parameters);
    }

    /** After a write the CRM answered: its record replaces the synced row, when the model is synced at all. */
    private void keep(UniversalCrm.Caller caller, SyncModel model, SyncPages.Row row) {
        try {
            if (store.readiness(caller.tenantId(), caller.credentialId(), model).enabled()) {
                records.upsert(model, caller.tenantId(), caller.credentialId(), List.of(row));
            }
        } catch (DataAccessException e) {
            // The CRM has the change; the next pass brings it into the store, so the write is not failed for it.
            log.warn("Synced {} {} of credential {} not updated after a write: {}", model.key(), row.providerId(),
                    caller.credentialId(), e.getMessage());
        }
    }

    private static void sort(@Nullable String sort) {
        if (sort != null && !sort.equals("updatedAt") && !sort.equals("-updatedAt")) {
            throw new UniversalException(400, "invalid-request",
                    "sort: updatedAt (oldest change first) or -updatedAt (newest first).");
        }
    }

    private static int limit(@Nullable Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new UniversalException(400, "invalid-request", "limit: must be from 1 to " + MAX_LIMIT + ".");
        }
        return limit;
    }

    private static void put(Map<String, String> filters, String name, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            filters.put(name, value.strip());
        }
    }

    private static Person withoutOriginal(Person p) {
        return new Person(p.id(), p.firstName(), p.lastName(), p.name(), p.emails(), p.phones(), p.addresses(),
                p.tags(), p.stage(), p.source(), p.assignedUserId(), p.createdAt(), p.updatedAt(), p.originalIds(), null);
    }

    private static Task withoutOriginal(Task t) {
        return new Task(t.id(), t.personId(), t.title(), t.description(), t.dueAt(), t.completed(), t.completedAt(),
                t.assignedUserId(), t.createdAt(), t.updatedAt(), t.originalIds(), null);
    }
}
