package io.plugboard.sync;

import io.plugboard.universal.Note;
import io.plugboard.universal.Person;
import io.plugboard.universal.Task;
import io.plugboard.universal.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the synced records back as the Universal model: pages in keyset order over (updated_at, provider_id), the
 * records a pass found deleted left out. The tenant is named in every statement besides row-level security, so the
 * (tenant_id, credential_id, updated_at DESC, provider_id) indexes serve the order.
 */
@Repository
class SyncedStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Person.ContactPoint>> CONTACT_POINTS = new TypeReference<>() {
    };
    private static final TypeReference<List<Person.Address>> ADDRESSES = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };

    /** A model's sync state as reads need it: whether its first backfill is done, and its last complete pass. */
    record Readiness(boolean enabled, boolean backfilled, @Nullable Instant lastSuccessAt) {

        boolean ready() {
            return enabled && backfilled;
        }
    }

    /**
     * A page request over the store.
     *
     * @param conditions SQL conditions on the table's columns, each with its one parameter
     * @param ascending  oldest change first (sort=updatedAt) rather than newest
     * @param after      the last record of the previous page, null for the first page
     */
    record Request(UUID tenantId, String credentialId, List<Condition> conditions, boolean ascending,
                   SyncedCursor.@Nullable Position after, int limit, boolean original) {
    }

    /** A condition and its parameters, in the order of its placeholders. */
    record Condition(String sql, List<Object> parameters) {

        Condition(String sql, Object parameter) {
            this(sql, List.of(parameter));
        }
    }

    /** A page of records and where the last one stands, null when nothing follows. */
    record Rows<T>(List<T> items, SyncedCursor.@Nullable Position last) {
    }

    private final JdbcTemplate jdbc;

    SyncedStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    Readiness readiness(UUID tenantId, String credentialId, SyncModel model) {
        return jdbc.query("SELECT enabled, phase, last_success_at FROM sync_states WHERE tenant_id = ? "
                        + "AND credential_id = ? AND model = ?",
                (rs, n) -> new Readiness(rs.getBoolean(1), rs.getString(2).equals("INCREMENTAL"), instant(rs, 3)),
                tenantId, credentialId, model.key()).stream().findFirst()
                .orElse(new Readiness(false, false, null));
    }

    Rows<Synced<Person>> people(Request request, String idMember) {
        return page(SyncModel.PEOPLE, request, true, (rs, n) -> person(rs, idMember, request.original()));
    }

    Optional<Synced<Person>> person(UUID tenantId, String credentialId, String id, String idMember, boolean original) {
        return jdbc.query("SELECT provider_id, synced_at, " + String.join(", ", SyncModel.PEOPLE.readColumns())
                        + (original ? ", original" : "") + " FROM synced_people WHERE tenant_id = ? AND credential_id = ? "
                        + "AND provider_id = ? AND deleted_at IS NULL", (rs, n) -> person(rs, idMember, original), tenantId, credentialId, id)
                .stream().findFirst();
    }

    Rows<Synced<Note>> notes(Request request, String idMember) {
        return page(SyncModel.NOTES, request, true, (rs, n) -> note(rs, idMember, request.original()));
    }

    Rows<Synced<Task>> tasks(Request request, String idMember) {
        return page(SyncModel.TASKS, request, true, (rs, n) -> task(rs, idMember, request.original()));
    }

    /** Users have no time of change: they are paged by id. */
    Rows<Synced<User>> users(Request request, String idMember) {
        return page(SyncModel.USERS, request, false, (rs, n) -> user(rs, idMember, request.original()));
    }

    /** A record and when a pass (or a write through the API) last stored it. */
    record Synced<T>(T record, Instant syncedAt) {
    }

    /**
     * A page and the store's terms in one statement: the model's first backfill is complete
     * ({@code phase = 'INCREMENTAL'} with a last success), it is still enabled, the credential is not revoked and,
     * for an end user's token, is that end user's. Empty when the terms do not hold, and the caller decides the
     * rest (the CRM answers, or a 404 or 400) as before. Nothing is cached: every read sees the state row as it is
     * now, so a model turned off, a credential revoked or deleted (its state rows go with it) on any instance stops
     * store answers with the next request.
     *
     * @param endUser the external id of the end user a token is limited to, null for the tenant's own token
     * @param idMember the CRM's name for a record's id, by the credential's connector; empty when it has no mapping
     */
    <T> Optional<Answer<T>> page(SyncModel model, Request request, @Nullable String endUser,
                                 Function<String, Optional<String>> idMember, RecordMapper<T> mapper) {
        var inner = select(model, request, model != SyncModel.USERS);
        var sql = new StringBuilder("""
                WITH ready AS (
                    SELECT s.last_success_at, c.app_key FROM sync_states s
                    JOIN credentials c ON c.id = s.credential_id AND c.tenant_id = s.tenant_id
                    WHERE s.tenant_id = ? AND s.credential_id = ? AND s.model = ? AND s.enabled
                      AND s.phase = 'INCREMENTAL' AND s.last_success_at IS NOT NULL AND c.status <> 'REVOKED'
                      AND (CAST(? AS text) IS NULL OR EXISTS (SELECT 1 FROM end_users e
                           WHERE e.id = c.end_user_id AND e.tenant_id = c.tenant_id AND e.external_id = ?)))
                SELECT ready.last_success_at AS ready_since, ready.app_key AS ready_app_key, r.*
                FROM ready LEFT JOIN LATERAL (""").append(inner.sql()).append(") r ON true ")
                .append(inner.order().replace("ORDER BY ", "ORDER BY r.").replace(", ", ", r."));
        var params = new ArrayList<@Nullable Object>(List.of(request.tenantId(), request.credentialId(), model.key()));
        params.add(endUser);
        params.add(endUser);
        params.addAll(inner.params());
        return Optional.ofNullable(jdbc.query(sql.toString(), rs -> {
            if (!rs.next()) {
                return null;
            }
            Instant since = Objects.requireNonNull(instant(rs, "ready_since"));
            Optional<String> member = idMember.apply(rs.getString("ready_app_key"));
            if (member.isEmpty()) {
                return null;
            }
            var rows = new ArrayList<Synced<T>>();
            var positions = new ArrayList<SyncedCursor.Position>();
            // No record: the one row of ready with the lateral side null.
            if (rs.getString("provider_id") != null) {
                do {
                    positions.add(position(rs, model != SyncModel.USERS));
                    rows.add(mapper.map(rs, member.get(), request.original()));
                } while (rs.next());
            }
            return new Answer<>(rows(rows, positions, request.limit()), since);
        }, params.toArray()));
    }

    /** A page of the store and the end of the model's last complete pass. */
    record Answer<T>(Rows<Synced<T>> rows, Instant lastSuccessAt) {
    }

    /** A record from the columns {@link #select} reads, its ids named as the credential's CRM names them. */
    @FunctionalInterface
    interface RecordMapper<T> {
        Synced<T> map(ResultSet rs, String idMember, boolean original) throws SQLException;
    }

    static Synced<Person> person(ResultSet rs, String idMember, boolean original) throws SQLException {
        return new Synced<>(new Person(rs.getString("provider_id"), rs.getString("first_name"),
                rs.getString("last_name"), rs.getString("name"), JSON.readValue(rs.getString("emails"), CONTACT_POINTS),
                JSON.readValue(rs.getString("phones"), CONTACT_POINTS), JSON.readValue(rs.getString("addresses"), ADDRESSES),
                JSON.readValue(rs.getString("tags"), TAGS), rs.getString("stage"), rs.getString("source"),
                rs.getString("assigned_user_id"), time(rs, "created_at"), time(rs, "updated_at"), ids(idMember, rs),
                original(rs, original)), syncedAt(rs));
    }

    static Synced<Note> note(ResultSet rs, String idMember, boolean original) throws SQLException {
        return new Synced<>(new Note(rs.getString("provider_id"), rs.getString("person_id"), rs.getString("body"),
                time(rs, "created_at"), time(rs, "updated_at"), rs.getString("created_by_user_id"), ids(idMember, rs),
                original(rs, original)), syncedAt(rs));
    }

    static Synced<Task> task(ResultSet rs, String idMember, boolean original) throws SQLException {
        return new Synced<>(new Task(rs.getString("provider_id"), rs.getString("person_id"), rs.getString("title"),
                rs.getString("description"), time(rs, "due_at"), rs.getBoolean("completed"), time(rs, "completed_at"),
                rs.getString("assigned_user_id"), time(rs, "created_at"), time(rs, "updated_at"), ids(idMember, rs),
                original(rs, original)), syncedAt(rs));
    }

    static Synced<User> user(ResultSet rs, String idMember, boolean original) throws SQLException {
        return new Synced<>(new User(rs.getString("provider_id"), rs.getString("name"), rs.getString("first_name"),
                rs.getString("last_name"), rs.getString("email"), rs.getString("role"),
                rs.getObject("active", Boolean.class), ids(idMember, rs), original(rs, original)), syncedAt(rs));
    }

    private record Select(String sql, String order, List<@Nullable Object> params) {
    }

    /**
     * One page more than asked is read, so whether another follows is known without counting. The order is the
     * index's, (updated_at DESC, provider_id), read forwards or backwards, so a page is an index range however deep:
     * a record without a time of change counts as the newest, and oldest first is exactly the reverse. Only the
     * columns a record needs are read; the CRM's original only when asked for.
     */
    private static Select select(SyncModel model, Request request, boolean byUpdate) {
        var sql = new StringBuilder("SELECT provider_id, synced_at, ").append(String.join(", ", model.readColumns()))
                .append(request.original() ? ", original" : "").append(" FROM ").append(model.table())
                .append(" WHERE tenant_id = ? AND credential_id = ? AND deleted_at IS NULL");
        var params = new ArrayList<@Nullable Object>(List.of(request.tenantId(), request.credentialId()));
        for (Condition condition : request.conditions()) {
            sql.append(" AND ").append(condition.sql());
            params.addAll(condition.parameters());
        }
        var after = request.after();
        boolean newestFirst = !request.ascending();
        if (after != null && byUpdate) {
            String id = newestFirst ? ">" : "<";
            if (after.updatedAt() == null) {
                sql.append(newestFirst ? " AND (updated_at IS NULL AND provider_id > ? OR updated_at IS NOT NULL)"
                        : " AND updated_at IS NULL AND provider_id < ?");
                params.add(after.id());
            } else {
                // The bound alone is an index condition; the rest only sorts out the records of the same time.
                String bound = newestFirst ? "<=" : ">=";
                String beyond = newestFirst ? "<" : ">";
                sql.append(" AND (updated_at ").append(bound).append(" ? AND (updated_at ").append(beyond)
                        .append(" ? OR provider_id ").append(id).append(" ?)")
                        .append(newestFirst ? ")" : " OR updated_at IS NULL)");
                var at = OffsetDateTime.ofInstant(after.updatedAt(), ZoneOffset.UTC);
                params.add(at);
                params.add(at);
                params.add(after.id());
            }
        } else if (after != null) {
            sql.append(" AND provider_id > ?");
            params.add(after.id());
        }
        String order = !byUpdate ? "ORDER BY provider_id" : newestFirst ? "ORDER BY updated_at DESC, provider_id"
                : "ORDER BY updated_at ASC, provider_id DESC";
        sql.append(' ').append(order).append(" LIMIT ?");
        params.add(request.limit() + 1);
        return new Select(sql.toString(), order, params);
    }

    private <T> Rows<Synced<T>> page(SyncModel model, Request request, boolean byUpdate, RowMapper<Synced<T>> mapper) {
        var select = select(model, request, byUpdate);
        var positions = new ArrayList<SyncedCursor.Position>();
        List<Synced<T>> rows = jdbc.query(select.sql(), (rs, n) -> {
            positions.add(position(rs, byUpdate));
            return mapper.mapRow(rs, n);
        }, select.params().toArray());
        return rows(rows, positions, request.limit());
    }

    private static SyncedCursor.Position position(ResultSet rs, boolean byUpdate) throws SQLException {
        return new SyncedCursor.Position(byUpdate ? instant(rs, "updated_at") : null, rs.getString("provider_id"));
    }

    private static <T> Rows<Synced<T>> rows(List<Synced<T>> rows, List<SyncedCursor.Position> positions, int limit) {
        if (rows.size() <= limit) {
            return new Rows<>(rows, null);
        }
        return new Rows<>(rows.subList(0, limit), positions.get(limit - 1));
    }

    private static Map<String, String> ids(String idMember, ResultSet rs) throws SQLException {
        return Map.of(idMember, rs.getString("provider_id"));
    }

    private static @Nullable JsonNode original(ResultSet rs, boolean wanted) throws SQLException {
        return wanted ? JSON.readTree(rs.getString("original")) : null;
    }

    private static Instant syncedAt(ResultSet rs) throws SQLException {
        return rs.getObject("synced_at", OffsetDateTime.class).toInstant();
    }

    /** As the engine writes times: ISO-8601 in UTC, {@link Instant#toString()}. */
    private static @Nullable String time(ResultSet rs, String column) throws SQLException {
        Instant value = instant(rs, column);
        return value == null ? null : value.toString();
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
