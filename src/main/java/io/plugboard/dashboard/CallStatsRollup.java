package io.plugboard.dashboard;

import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rolls the call log up into hourly statistics per tenant (and over all tenants): calls by outcome and a
 * latency histogram. Reads {@code proxy_calls} by id, in chunks, each chunk adding its counts to the hours its
 * calls started in and moving the watermark in the same transaction — so a run that fails or is killed
 * leaves nothing half-counted, and running again counts nothing twice. Several instances are safe: the
 * watermark row is locked for each chunk and an instance that finds it locked leaves the work to the other.
 * The call log itself is never changed.
 */
@Component
class CallStatsRollup {

    static final String NAME = "proxy_calls";
    /** Ids per transaction: a catch-up over millions of rows commits every few seconds. */
    static final long CHUNK = 200_000;

    private static final Logger log = LoggerFactory.getLogger(CallStatsRollup.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DashboardProperties properties;
    private final Clock clock;

    CallStatsRollup(DataSource dataSource, TransactionTemplate transactions, DashboardProperties properties,
                    Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** What one run did: calls rolled up, and the watermark it left (empty if another instance held the lock). */
    record Run(long calls, OptionalLong rolledUpTo) {
    }

    @Scheduled(fixedDelayString = "${plugboard.dashboard.rollup-interval}",
            initialDelayString = "${plugboard.dashboard.rollup-interval}")
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            log.warn("Call statistics roll-up failed; it resumes from its watermark next time: {}", e.getMessage());
        }
    }

    /**
     * Rolls up to the highest id the previous run saw, then remembers the highest id now. The lag of one run
     * gives a batch insert that had drawn its ids but not committed a whole interval to commit; rows newer
     * than the watermark are read live by the dashboard.
     */
    Run run() {
        Run run = rollUp(null, false);
        if (run.rolledUpTo().isPresent()) {
            pruneOldStatistics();
        }
        return run;
    }

    /** Rolls up every call with an id up to {@code lastId}, waiting for another instance's run if need be. */
    Run rollUpThrough(long lastId) {
        return rollUp(lastId, true);
    }

    private Run rollUp(@Nullable Long through, boolean wait) {
        return TenantScope.platform("call statistics are rolled up for every tenant at once",
                () -> rollUpScoped(through, wait));
    }

    private Run rollUpScoped(@Nullable Long through, boolean wait) {
        long calls = 0;
        while (true) {
            Chunk chunk = transactions.execute(status -> nextChunk(through, wait));
            if (chunk == null) {
                return new Run(calls, OptionalLong.empty());
            }
            calls += chunk.calls();
            if (chunk.done()) {
                return new Run(calls, OptionalLong.of(chunk.rolledUpTo()));
            }
        }
    }

    private record Chunk(long calls, long rolledUpTo, boolean done) {
    }

    private record Watermark(long rolledUpTo, long nextTo) {
    }

    private @Nullable Chunk nextChunk(@Nullable Long through, boolean wait) {
        Optional<Watermark> locked = jdbc.query("SELECT rolled_up_to, next_to FROM dashboard_rollups WHERE name = ? "
                        + (wait ? "FOR UPDATE" : "FOR UPDATE SKIP LOCKED"),
                (rs, n) -> new Watermark(rs.getLong(1), rs.getLong(2)), NAME).stream().findFirst();
        if (locked.isEmpty()) {
            return null;
        }
        Watermark watermark = locked.get();
        long target = through != null ? through : watermark.nextTo();
        if (watermark.rolledUpTo() >= target) {
            if (through == null) {
                Long highest = jdbc.queryForObject("SELECT COALESCE(max(id), 0) FROM proxy_calls", Long.class);
                jdbc.update("UPDATE dashboard_rollups SET next_to = ?, updated_at = ? WHERE name = ?",
                        Math.max(highest == null ? 0 : highest, watermark.rolledUpTo()), utc(clock.instant()), NAME);
            }
            return new Chunk(0, watermark.rolledUpTo(), true);
        }
        long to = Math.min(watermark.rolledUpTo() + CHUNK, target);
        long calls = add(watermark.rolledUpTo(), to);
        jdbc.update("UPDATE dashboard_rollups SET rolled_up_to = ?, updated_at = ? WHERE name = ?",
                to, utc(clock.instant()), NAME);
        return new Chunk(calls, to, false);
    }

    /** Per tenant and hour, then per hour over all tenants: calls by outcome and latency bucket. */
    private long add(long afterId, long throughId) {
        var perTenant = new TreeMap<TenantHour, Counts>();
        var perHour = new TreeMap<OffsetDateTime, Counts>();
        jdbc.query("SELECT tenant_id, date_trunc('hour', created_at, 'UTC') AS hour, "
                + LatencyHistogram.sqlBucket("latency_ms") + " AS bucket, count(*) AS calls,"
                + " count(*) FILTER (WHERE status BETWEEN 100 AND 399) AS ok,"
                + " count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS client_errors"
                + " FROM proxy_calls WHERE id > ? AND id <= ? GROUP BY 1, 2, 3", rs -> {
                    var key = new TenantHour(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class));
                    int bucket = Math.max(0, rs.getInt(3) - 1);
                    long calls = rs.getLong(4);
                    long ok = rs.getLong(5);
                    long clientErrors = rs.getLong(6);
                    perTenant.computeIfAbsent(key, k -> new Counts()).add(bucket, calls, ok, clientErrors);
                    perHour.computeIfAbsent(key.hour(), k -> new Counts()).add(bucket, calls, ok, clientErrors);
                }, afterId, throughId);
        jdbc.batchUpdate("""
                INSERT INTO proxy_call_stats_hourly AS s (tenant_id, hour, calls, ok, client_errors, errors, latency_buckets)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, hour) DO UPDATE SET calls = s.calls + EXCLUDED.calls, ok = s.ok + EXCLUDED.ok,
                    client_errors = s.client_errors + EXCLUDED.client_errors, errors = s.errors + EXCLUDED.errors,
                    latency_buckets = dashboard_add_buckets(s.latency_buckets, EXCLUDED.latency_buckets)""",
                perTenant.entrySet().stream().map(e -> e.getValue().row(e.getKey().tenantId(), e.getKey().hour()))
                        .toList());
        jdbc.batchUpdate("""
                INSERT INTO proxy_call_stats_hourly_all AS s (hour, calls, ok, client_errors, errors, latency_buckets)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (hour) DO UPDATE SET calls = s.calls + EXCLUDED.calls, ok = s.ok + EXCLUDED.ok,
                    client_errors = s.client_errors + EXCLUDED.client_errors, errors = s.errors + EXCLUDED.errors,
                    latency_buckets = dashboard_add_buckets(s.latency_buckets, EXCLUDED.latency_buckets)""",
                perHour.entrySet().stream().map(e -> e.getValue().row(null, e.getKey())).toList());
        return perHour.values().stream().mapToLong(c -> c.calls).sum();
    }

    /** Hourly statistics past their retention go, the refresh-failure counts with them. */
    private void pruneOldStatistics() {
        OffsetDateTime cutoff = utc(clock.instant().minus(properties.statsRetention()));
        jdbc.update("DELETE FROM proxy_call_stats_hourly WHERE hour < ?", cutoff);
        jdbc.update("DELETE FROM proxy_call_stats_hourly_all WHERE hour < ?", cutoff);
        jdbc.update("DELETE FROM credential_refresh_failures_hourly WHERE hour < ?", cutoff);
    }

    private record TenantHour(UUID tenantId, OffsetDateTime hour) implements Comparable<TenantHour> {

        @Override
        public int compareTo(TenantHour other) {
            int byTenant = tenantId.compareTo(other.tenantId);
            return byTenant != 0 ? byTenant : hour.compareTo(other.hour);
        }
    }

    private static final class Counts {

        long calls;
        long ok;
        long clientErrors;
        final long[] buckets = new long[LatencyHistogram.buckets()];

        void add(int bucket, long n, long okCalls, long clientErrorCalls) {
            calls += n;
            ok += okCalls;
            clientErrors += clientErrorCalls;
            buckets[bucket] += n;
        }

        Object[] row(@Nullable UUID tenantId, OffsetDateTime hour) {
            List<Object> values = new ArrayList<>();
            if (tenantId != null) {
                values.add(tenantId);
            }
            values.addAll(List.of(hour, calls, ok, clientErrors, calls - ok - clientErrors, buckets));
            return values.toArray();
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
