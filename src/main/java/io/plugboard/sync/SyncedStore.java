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
import java.util.Optional;
import java.util.UUID;
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

    record Condition(String sql, Object parameter) {
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
        return jdbc.query("SELECT provider_id, synced_at, " + String.join(", ", SyncModel.PEOPLE.columns())
                        + (original ? ", original" : "") + " FROM synced_people WHERE tenant_id = ? AND credential_id = ? "
                        + "AND provider_id = ? AND deleted_at IS NULL", (rs, n) -> person(rs, idMember, original), tenantId, credentialId, id)
                .stream().findFirst();
    }

    Rows<Synced<Note>> notes(Request request, String idMember) {
        return page(SyncModel.NOTES, request, true, (rs, n) -> new Synced<>(new Note(rs.getString("provider_id"),
                rs.getString("person_id"), rs.getString("body"), time(rs, "created_at"), time(rs, "updated_at"),
                rs.getString("created_by_user_id"), ids(idMember, rs), original(rs, request.original())),
                syncedAt(rs)));
    }

    Rows<Synced<Task>> tasks(Request request, String idMember) {
        return page(SyncModel.TASKS, request, true, (rs, n) -> new Synced<>(new Task(rs.getString("provider_id"),
                rs.getString("person_id"), rs.getString("title"), rs.getString("description"), time(rs, "due_at"),
                rs.getBoolean("completed"), time(rs, "completed_at"), rs.getString("assigned_user_id"),
                time(rs, "created_at"), time(rs, "updated_at"), ids(idMember, rs), original(rs, request.original())),
                syncedAt(rs)));
    }

    /** Users have no time of change: they are paged by id. */
    Rows<Synced<User>> users(Request request, String idMember) {
        return page(SyncModel.USERS, request, false, (rs, n) -> new Synced<>(new User(rs.getString("provider_id"),
                rs.getString("name"), rs.getString("first_name"), rs.getString("last_name"), rs.getString("email"),
                rs.getString("role"), rs.getObject("active", Boolean.class), ids(idMember, rs),
                original(rs, request.original())), syncedAt(rs)));
    }

    /** A record and when a pass (or a write through the API) last stored it. */
    record Synced<T>(T record, Instant syncedAt) {
    }

    /**
     * One page more than asked is read, so whether another follows is known without counting. The order is the
     * index's, (updated_at DESC, provider_id), read forwards or backwards, so a page is an index range however deep:
     * a record without a time of change counts as the newest, and oldest first is exactly the reverse. Only the
     * columns a record needs are read; the CRM's original only when asked for.
     */
    private <T> Rows<Synced<T>> page(SyncModel model, Request request, boolean byUpdate, RowMapper<Synced<T>> mapper) {
        var sql = new StringBuilder("SELECT provider_id, synced_at, ").append(String.join(", ", model.columns()))
                .append(request.original() ? ", original" : "").append(" FROM ").append(model.table())
                .append(" WHERE tenant_id = ? AND credential_id = ? AND deleted_at IS NULL");
        var params = new ArrayList<@Nullable Object>(List.of(request.tenantId(), request.credentialId()));
        for (Condition condition : request.conditions()) {
            sql.append(" AND ").append(condition.sql());
            params.add(condition.parameter());
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
        sql.append(!byUpdate ? " ORDER BY provider_id" : newestFirst ? " ORDER BY updated_at DESC, provider_id"
                : " ORDER BY updated_at ASC, provider_id DESC").append(" LIMIT ?");
        params.add(request.limit() + 1);
        var positions = new ArrayList<SyncedCursor.Position>();
        List<Synced<T>> rows = jdbc.query(sql.toString(), (rs, n) -> {
            positions.add(new SyncedCursor.Position(byUpdate ? instant(rs, "updated_at") : null,
                    rs.getString("provider_id")));
            return mapper.mapRow(rs, n);
        }, params.toArray());
        if (rows.size() <= request.limit()) {
            return new Rows<>(rows, null);
        }
        return new Rows<>(rows.subList(0, request.limit()), positions.get(request.limit() - 1));
    }

    private static Synced<Person> person(ResultSet rs, String idMember, boolean original) throws SQLException {
        return new Synced<>(new Person(rs.getString("provider_id"), rs.getString("first_name"),
                rs.getString("last_name"), rs.getString("name"), JSON.readValue(rs.getString("emails"), CONTACT_POINTS),
                JSON.readValue(rs.getString("phones"), CONTACT_POINTS), JSON.readValue(rs.getString("addresses"), ADDRESSES),
                JSON.readValue(rs.getString("tags"), TAGS), rs.getString("stage"), rs.getString("source"),
                rs.getString("assigned_user_id"), time(rs, "created_at"), time(rs, "updated_at"), ids(idMember, rs),
                original(rs, original)), syncedAt(rs));
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
