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
     * Inserts or updates a page's records in one statement, each stamped as seen now; a record marked deleted that
     * the CRM has again is live again. Returns how many became live (new, or back), for the running count.
     */
    long upsert(SyncModel model, UUID tenantId, String credentialId, List<SyncPages.Row> rows) {
        // One statement cannot change a row twice: a CRM that repeats a record on a page keeps its last copy.
        var unique = new LinkedHashMap<String, SyncPages.Row>();
        rows.forEach(row -> unique.put(row.providerId(), row));
        if (unique.isEmpty()) {
            return 0;
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
                // PostgreSQL 18: old is the row before the statement, null for an insert.
                .append(" RETURNING old.provider_id IS NULL OR old.deleted_at IS NOT NULL");
        List<Boolean> added = jdbc.query(sql.toString(), (rs, n) -> rs.getBoolean(1), params.toArray());
        return added.stream().filter(Boolean::booleanValue).count();
    }

    /** Marks deleted the credential's live records a complete pass that began at {@code passStart} did not see. */
    int markUnseen(SyncModel model, String credentialId, Instant passStart) {
        return jdbc.update("UPDATE " + model.table() + " SET deleted_at = now() WHERE credential_id = ? "
                + "AND deleted_at IS NULL AND synced_at < ?", credentialId,
                OffsetDateTime.ofInstant(passStart, ZoneOffset.UTC));
    }

    long live(SyncModel model, String credentialId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM " + model.table()
                + " WHERE credential_id = ? AND deleted_at IS NULL", Long.class, credentialId);
        return count == null ? 0 : count;
    }
}
