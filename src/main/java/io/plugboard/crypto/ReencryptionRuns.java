package io.plugboard.crypto;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The re-encryption runs and their progress (table {@code master_key_reencryptions}). The partial unique index on
 * RUNNING rows is the lease that keeps a second run from starting, on any instance.
 */
@Repository
class ReencryptionRuns {

    /**
     * A RUNNING run whose heartbeat is older than this was interrupted (its instance stopped) and is taken over. A
     * batch never waits on a writer (it skips locked rows), so a live run renews it within seconds.
     */
    static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;

    ReencryptionRuns(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * Starts a run unless another one is running; an interrupted one is marked failed first. Returns empty when one is
     * running.
     */
    @Transactional
    Optional<ReencryptionRun> begin(int primaryKeyId, String startedBy, List<String> kinds, List<Long> totals,
                                    Instant now) {
        jdbc.update("UPDATE master_key_reencryptions SET status = 'FAILED', finished_at = ?, "
                + "error = 'Interrupted: its instance stopped making progress.' WHERE status = 'RUNNING' "
                + "AND heartbeat_at < ?", utc(now), utc(now.minus(STALE_AFTER)));
        UUID id = UUID.randomUUID();
        int inserted = jdbc.update("""
                INSERT INTO master_key_reencryptions (id, primary_key_id, started_by, started_at, heartbeat_at, status)
                VALUES (?, ?, ?, ?, ?, 'RUNNING') ON CONFLICT DO NOTHING""",
                id, primaryKeyId, startedBy, utc(now), utc(now));
        if (inserted == 0) {
            return Optional.empty();
        }
        for (int i = 0; i < kinds.size(); i++) {
            jdbc.update("INSERT INTO master_key_reencryption_progress (run_id, position, kind, total) VALUES (?, ?, ?, ?)",
                    id, i, kinds.get(i), totals.get(i));
        }
        return find(id);
    }

    /** Adds a batch to the run's progress; false when the run is no longer RUNNING (it was taken over). */
    boolean advance(UUID id, int position, ResealBatch batch, Instant now) {
        jdbc.update("UPDATE master_key_reencryption_progress SET resealed = resealed + ?, changed = changed + ?, "
                + "unreadable = unreadable + ? WHERE run_id = ? AND position = ?", batch.resealed(), batch.changed(),
                batch.unreadable(), id, position);
        return heartbeat(id, now);
    }

    boolean heartbeat(UUID id, Instant now) {
        return jdbc.update("UPDATE master_key_reencryptions SET heartbeat_at = ? WHERE id = ? AND status = 'RUNNING'",
                utc(now), id) == 1;
    }

    /**
     * After a walk over a store: what left the old key without the run re-sealing it was re-sealed by the
     * application's own writes (a refresh, a rotation) or deleted; {@code remaining} is what is still on an old key.
     */
    void settle(UUID id, int position, long remaining) {
        jdbc.update("UPDATE master_key_reencryption_progress SET changed = GREATEST(0, total - resealed - ?) "
                + "WHERE run_id = ? AND position = ?", remaining, id, position);
    }

    /** A new pass counts only the secrets that still do not open; the earlier pass's are among them. */
    void startPass(UUID id) {
        jdbc.update("UPDATE master_key_reencryption_progress SET unreadable = 0 WHERE run_id = ?", id);
    }

    void finish(UUID id, ReencryptionRun.Status status, @Nullable String error, Instant now) {
        jdbc.update("UPDATE master_key_reencryptions SET status = ?, error = ?, finished_at = ?, heartbeat_at = ? "
                + "WHERE id = ? AND status = 'RUNNING'", status.name(), error, utc(now), utc(now), id);
    }

    Optional<ReencryptionRun> find(UUID id) {
        return jdbc.query("SELECT * FROM master_key_reencryptions WHERE id = ?", this::run, id).stream().findFirst();
    }

    /** The running run if there is one, else the latest. */
    Optional<ReencryptionRun> latest() {
        return jdbc.query("SELECT * FROM master_key_reencryptions ORDER BY status = 'RUNNING' DESC, started_at DESC "
                + "LIMIT 1", this::run).stream().findFirst();
    }

    private ReencryptionRun run(ResultSet rs, int n) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        var progress = jdbc.query("SELECT kind, total, resealed, changed, unreadable FROM master_key_reencryption_progress "
                + "WHERE run_id = ? ORDER BY position", (p, i) -> new ReencryptionRun.Progress(p.getString(1),
                p.getLong(2), p.getLong(3), p.getLong(4), p.getLong(5)), id);
        return new ReencryptionRun(id, rs.getInt("primary_key_id"), rs.getString("started_by"),
                instant(rs, "started_at"), instant(rs, "heartbeat_at"),
                ReencryptionRun.Status.valueOf(rs.getString("status")), instantOrNull(rs, "finished_at"),
                rs.getString("error"), progress);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
