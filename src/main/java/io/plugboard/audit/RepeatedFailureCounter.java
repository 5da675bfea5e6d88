package io.plugboard.audit;

import io.plugboard.security.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Counts anonymous failures per kind, source and fixed window in a working table (changeset 016), shared by every
 * instance, so the audit trail gets one event per window however many arrive. Joins the caller's transaction.
 */
@Component
class RepeatedFailureCounter {

    static final int MAX_SOURCE = 100;
    static final int MAX_KIND = 100;
    /** A window counts one kind from one source, whichever tenants its failures named. */
    private static final String ACROSS_TENANTS = "repeated failures are counted per source across tenants";

    private final JdbcTemplate jdbc;
    private final Duration window;

    RepeatedFailureCounter(DataSource dataSource,
                           @Value("${plugboard.audit.repeated-failure-window:10m}") Duration window) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.window = window;
    }

    /** One window's count of one kind from one source, as the purge takes it out of the table. */
    record Closed(String kind, String source, Instant windowStart, Instant windowEnd, @Nullable UUID tenantId,
                  long occurrences, Instant lastAt) {
    }

    Duration window() {
        return window;
    }

    /** Fixed windows (aligned to the epoch), so every instance counts into the same row. */
    Instant windowStart(Instant at) {
        long size = window.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), size) * size);
    }

    /** Counts one more; returns how many of this kind from this source the window holds now. */
    long count(String kind, String source, @Nullable UUID tenantId, Instant at) {
        Instant start = windowStart(at);
        Long occurrences = TenantScope.platform(ACROSS_TENANTS, () -> jdbc.queryForObject("""
                INSERT INTO audit_repeated_failures (kind, source, window_start, window_end, tenant_id, occurrences, last_at)
                VALUES (?, ?, ?, ?, ?, 1, ?)
                ON CONFLICT (kind, source, window_start) DO UPDATE SET
                    occurrences = audit_repeated_failures.occurrences + 1, last_at = EXCLUDED.last_at
                RETURNING occurrences""", Long.class, clip(kind, MAX_KIND), clip(source, MAX_SOURCE), utc(start),
                utc(start.plus(window)), tenantId, utc(at)));
        return occurrences == null ? 1 : occurrences;
    }

    /**
     * Takes up to {@code limit} windows that ended by {@code now} out of the table. Rows another instance is taking
     * at the same moment are skipped, so each window is closed exactly once.
     */
    List<Closed> takeClosed(Instant now, int limit) {
        return TenantScope.platform(ACROSS_TENANTS, () -> jdbc.query("""
                DELETE FROM audit_repeated_failures WHERE (kind, source, window_start) IN (
                    SELECT kind, source, window_start FROM audit_repeated_failures WHERE window_end <= ?
                    ORDER BY window_end LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING kind, source, window_start, window_end, tenant_id, occurrences, last_at""",
                (rs, n) -> new Closed(rs.getString("kind"), rs.getString("source"),
                        rs.getObject("window_start", OffsetDateTime.class).toInstant(),
                        rs.getObject("window_end", OffsetDateTime.class).toInstant(),
                        rs.getObject("tenant_id", UUID.class), rs.getLong("occurrences"),
                        rs.getObject("last_at", OffsetDateTime.class).toInstant()),
                utc(now), limit));
    }

    static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
