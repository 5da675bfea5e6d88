package io.plugboard.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The synced records: pages written, unseen records marked deleted, live records counted. */
@Repository
class SyncedRecords {

    private final JdbcTemplate jdbc;

    SyncedRecords(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * What a page changed, by the CRM's ids: {@code created} became live (new, or back after being marked deleted),
     * {@code updated} were live and now differ in some stored value. Records read again unchanged are in neither.
     */
    record Changes(List<String> created, List<String> updated) {

        static final Changes NONE = new Changes(List.of(), List.of());

        /** How many became live, for the running count. */
        long added() {
            return created.size();
        }
    }

    /**
     * Inserts or updates a page's records in one statement, each stamped as seen now; a record marked deleted that
     * the CRM has again is live again. The statement itself tells what it created and what it changed, from the
     * row as it was before it ({@code old}), so no read before or after can race another writer.
     */
    Changes upsert(SyncModel model, UUID tenantId, String credentialId, List<SyncPages.Row> rows) {
        // One statement cannot change a row twice: a CRM that repeats a record on a page keeps its last copy.
        var unique = new LinkedHashMap<String, SyncPages.Row>();
        rows.forEach(row -> unique.put(row.providerId(), row));
        if (unique.isEmpty()) {
            return Changes.NONE;
        }
        List<String> columns = model.columns();
        String placeholders = columns.stream().map(c -> model.isJson(c) ? "CAST(? AS jsonb)" : "?")
                .collect(Collectors.joining(", "));
        String row = "(?, ?, ?, " + placeholders + ", CAST(? AS jsonb), now(), NULL)";
        var sql = new StringBuilder("INSERT INTO ").append(model.table()).append(" AS t (tenant_id, credential_id, ")
                .append("provider_id, ").append(String.join(", ", columns)).append(", original, synced_at, deleted_at) VALUES ");
        var params = new ArrayList<@Nullable Object>();
        boolean first = true;
        for (SyncPages.Row record : unique.values()) {
            sql.append(first ? "" : ", ").append(row);
            first = false;
            params.add(tenantId);
            params.add(credentialId);
            params.add(record.providerId());
            params.addAll(record.values());
            params.add(record.original());
        }
        sql.append(" ON CONFLICT (credential_id, provider_id) DO UPDATE SET ")
                .append(columns.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", ")))
                .append(", original = excluded.original, synced_at = excluded.synced_at, deleted_at = NULL")
                // PostgreSQL 18: old is the row before the statement, null for an insert; new the row after it.
                .append(" RETURNING new.provider_id, CASE WHEN old.provider_id IS NULL OR old.deleted_at IS NOT NULL ")
                .append("THEN 'created' WHEN ").append(stored(columns, "old")).append(" IS DISTINCT FROM ")
                .append(stored(columns, "new")).append(" THEN 'updated' END");
        var created = new ArrayList<String>();
        var updated = new ArrayList<String>();
        jdbc.query(sql.toString(), rs -> {
            String change = rs.getString(2);
            if ("created".equals(change)) {
                created.add(rs.getString(1));
            } else if ("updated".equals(change)) {
                updated.add(rs.getString(1));
            }
        }, params.toArray());
        return new Changes(List.copyOf(created), List.copyOf(updated));
    }

    /** Every value a page writes but the time it was seen, as one row value of {@code old} or {@code new}. */
    private static String stored(List<String> columns, String which) {
        return columns.stream().map(c -> which + "." + c)
                .collect(Collectors.joining(", ", "ROW(", ", " + which + ".original)"));
    }

    /**
     * Marks deleted the credential's live records a complete pass that began at {@code passStart} did not see, and
     * returns their CRM ids.
     */
    List<String> markUnseen(SyncModel model, String credentialId, Instant passStart) {
        return jdbc.queryForList("UPDATE " + model.table() + " SET deleted_at = now() WHERE credential_id = ? "
                + "AND deleted_at IS NULL AND synced_at < ? RETURNING provider_id", String.class, credentialId,
                OffsetDateTime.ofInstant(passStart, ZoneOffset.UTC));
    }

    long live(SyncModel model, String credentialId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM " + model.table()
                + " WHERE credential_id = ? AND deleted_at IS NULL", Long.class, credentialId);
        return count == null ? 0 : count;
    }
}
