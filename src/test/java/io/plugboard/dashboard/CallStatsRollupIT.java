package io.plugboard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.DatabaseSuperuser;
import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hourly call-statistics roll-up against real call-log rows: hours split at the boundary, outcomes and
 * latency buckets counted, running again changes nothing, late rows land in their own hour, several runs at
 * once count each call once. The application's own scheduled run may go at any time in between; the
 * assertions hold whoever rolls up.
 */
@PlugboardTest
class CallStatsRollupIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CallStatsRollup rollup;
    @Autowired
    TransactionTemplate transactions;

    private UUID tenant;
    private DashboardFixture data;
    /** An hour two days ago, so no run of the clock moves it. */
    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(48));

    @BeforeEach
    void freshTenant() {
        tenant = TestTenants.create(context, "rollup").id();
        data = new DashboardFixture(jdbc, tenant);
    }

    @Test
    void callsAreCountedInTheHourTheyStartedSplitExactlyAtTheBoundary() {
        Instant next = hour.plus(Duration.ofHours(1));
        data.call(next.minusMillis(1), 200, 3);            // 10:59:59.999 → the first hour
        data.call(next.minusSeconds(1800), 404, 12);
        data.call(next, 503, 120);                          // 11:00:00.000 → the second hour
        data.call(next.plusSeconds(1), 0, 45_000);          // no answer at all: an error
        long last = data.call(next.plus(Duration.ofMinutes(59)), 302, 250_000);

        rollup.rollUpThrough(last);

        assertThat(row(hour)).containsExactly(2L, 1L, 1L, 0L);
        assertThat(row(next)).containsExactly(3L, 1L, 0L, 2L);
        assertThat(buckets(hour)).containsExactlyInAnyOrderEntriesOf(Map.of(
                LatencyHistogram.bucketOf(3), 1L, LatencyHistogram.bucketOf(12), 1L));
        assertThat(buckets(next)).containsExactlyInAnyOrderEntriesOf(Map.of(
                LatencyHistogram.bucketOf(120), 1L, LatencyHistogram.bucketOf(45_000), 1L,
                LatencyHistogram.buckets() - 1, 1L));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM proxy_call_stats_hourly WHERE tenant_id = ?", Long.class,
                tenant)).isEqualTo(2);
    }

    @Test
    void runningAgainCountsNothingTwice() {
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = data.call(hour.plusSeconds(i * 60L), i < 8 ? 200 : 500, 10 + i);
        }
        rollup.rollUpThrough(last);
        List<Long> once = row(hour);

        rollup.rollUpThrough(last);
        rollup.run();
        rollup.run();

        assertThat(row(hour)).isEqualTo(once).containsExactly(10L, 8L, 0L, 2L);
        assertThat(buckets(hour).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
    }

    @Test
    void aCallLoggedAfterItsHourWasRolledUpIsAddedToThatHour() {
        long first = data.call(hour.plusSeconds(10), 200, 30);
        rollup.rollUpThrough(first);
        assertThat(row(hour)).containsExactly(1L, 1L, 0L, 0L);

        // A long download is logged when it ends, under the hour it started in.
        long late = data.call(hour.plusSeconds(20), 200, 600_000);
        rollup.rollUpThrough(late);

        assertThat(row(hour)).containsExactly(2L, 2L, 0L, 0L);
        assertThat(buckets(hour)).containsEntry(LatencyHistogram.buckets() - 1, 1L);
    }

    @Test
    void scheduledRunsRollUpToTheIdTheRunBeforeSawSoAnInFlightBatchHasTimeToCommit() {
        long id = data.call(hour.plusSeconds(5), 200, 5);
        // The first run may not reach the new row (the previous run saw a lower id); a later one must.
        for (int run = 0; run < 10 && rolledUpTo() < id; run++) {
            rollup.run();
        }
        assertThat(rolledUpTo()).isGreaterThanOrEqualTo(id);
        assertThat(row(hour)).containsExactly(1L, 1L, 0L, 0L);
        assertThat(jdbc.queryForObject("SELECT next_to >= rolled_up_to FROM dashboard_rollups WHERE name = ?",
                Boolean.class, CallStatsRollup.NAME)).isTrue();
    }

    @Test
    void anInstanceThatFindsTheWatermarkLockedLeavesTheWorkToTheOther() throws Exception {
        long id = data.call(hour.plusSeconds(7), 200, 5);
        var locked = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = other.submit(() -> transactions.executeWithoutResult(status -> {
                jdbc.queryForList("SELECT * FROM dashboard_rollups WHERE name = ? FOR UPDATE", CallStatsRollup.NAME);
                locked.countDown();
                await(release);
            }));
            await(locked);
            CallStatsRollup.Run skipped = rollup.run();
            assertThat(skipped.rolledUpTo()).as("no watermark: it did not run").isEmpty();
            assertThat(skipped.calls()).isZero();
            release.countDown();
            holder.get();
        } finally {
            release.countDown();
            other.shutdownNow();
        }
        rollup.rollUpThrough(id);
        assertThat(row(hour)).containsExactly(1L, 1L, 0L, 0L);
    }

    @Test
    void concurrentRunsCountEveryCallOnce() throws Exception {
        long last = 0;
        for (int i = 0; i < 40; i++) {
            last = data.call(hour.plusSeconds(i), 200, i);
        }
        long through = last;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            var runs = new ArrayList<Callable<CallStatsRollup.Run>>();
            for (int i = 0; i < 4; i++) {
                runs.add(() -> rollup.rollUpThrough(through));
            }
            for (Future<CallStatsRollup.Run> run : pool.invokeAll(runs)) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(row(hour)).containsExactly(40L, 40L, 0L, 0L);
    }

    @Test
    void aCatchUpOverMoreIdsThanOneChunkCommitsChunkByChunk() {
        long first = data.call(hour.plusSeconds(1), 200, 8);
        rollup.rollUpThrough(first);
        // Ids far apart (deleted rows leave such gaps): the next row lies more than one chunk further on.
        long far = first + CallStatsRollup.CHUNK + 1000;
        jdbc.update("""
                INSERT INTO proxy_calls (id, tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                                         bytes_out, retries, source, actor, request_id, created_at)
                VALUES (?, ?, 'cred_dash_calls', 'roller', 'GET', '/x', 500, 9, 0, 0, 0, 'API', 'test', 'req', ?)""",
                far, tenant, DashboardFixture.utc(hour.plusSeconds(2)));
        // Moving a sequence is the owner's (or a superuser's) right, not the application's.
        DatabaseSuperuser.of(context).queryForObject(
                "SELECT setval('proxy_calls_id_seq', GREATEST(?, (SELECT last_value FROM proxy_calls_id_seq)))",
                Long.class, far);

        CallStatsRollup.Run run = rollup.rollUpThrough(far);

        assertThat(run.rolledUpTo()).hasValue(far);
        assertThat(row(hour)).containsExactly(2L, 1L, 0L, 1L);
    }

    @Test
    void theAllTenantsTableIsTheSumOfEveryTenantsHours() {
        UUID other = TestTenants.create(context, "rollup").id();
        var otherData = new DashboardFixture(jdbc, other);
        data.call(hour.plusSeconds(30), 200, 40);
        data.call(hour.plusSeconds(31), 429, 41);
        long last = otherData.call(hour.plusSeconds(32), 502, 42);
        rollup.rollUpThrough(last);

        List<Map<String, Object>> mismatches = jdbc.queryForList("""
                SELECT a.hour FROM proxy_call_stats_hourly_all a
                FULL JOIN (SELECT hour, sum(calls) AS calls, sum(ok) AS ok, sum(client_errors) AS client_errors,
                                  sum(errors) AS errors FROM proxy_call_stats_hourly GROUP BY hour) t ON t.hour = a.hour
                WHERE a.calls IS DISTINCT FROM t.calls OR a.ok IS DISTINCT FROM t.ok
                   OR a.client_errors IS DISTINCT FROM t.client_errors OR a.errors IS DISTINCT FROM t.errors""");
        assertThat(mismatches).isEmpty();
        assertThat(row(hour)).containsExactly(2L, 1L, 1L, 0L);
    }

    @Test
    void sqlAndJavaPutALatencyInTheSameBucket() {
        for (int latency : new int[] {0, 1, 9, 10, 11, 12, 19, 20, 24, 25, 99, 100, 999, 1000, 99_999, 100_000, 5_000_000}) {
            Integer sql = jdbc.queryForObject("SELECT " + LatencyHistogram.sqlBucket("?::int"), Integer.class, latency);
            assertThat(sql - 1).as("latency %d ms", latency).isEqualTo(LatencyHistogram.bucketOf(latency));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** calls, ok, client errors, errors of the tenant's hour. */
    private List<Long> row(Instant at) {
        return jdbc.query("SELECT calls, ok, client_errors, errors FROM proxy_call_stats_hourly WHERE tenant_id = ? "
                        + "AND hour = ?", (rs, n) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                tenant, DashboardFixture.utc(at)).stream().findFirst().orElse(List.of());
    }

    /** Non-empty buckets of the tenant's hour: index → count. */
    private Map<Integer, Long> buckets(Instant at) {
        Object[] values = jdbc.queryForObject("SELECT latency_buckets FROM proxy_call_stats_hourly WHERE tenant_id = ? "
                + "AND hour = ?", (rs, n) -> (Object[]) rs.getArray(1).getArray(), tenant, DashboardFixture.utc(at));
        assertThat(values).hasSize(LatencyHistogram.buckets());
        var counts = new TreeMap<Integer, Long>();
        for (int i = 0; i < values.length; i++) {
            long n = ((Number) values[i]).longValue();
            if (n != 0) {
                counts.put(i, n);
            }
        }
        return counts;
    }

    private long rolledUpTo() {
        Long id = jdbc.queryForObject("SELECT rolled_up_to FROM dashboard_rollups WHERE name = ?", Long.class,
                CallStatsRollup.NAME);
        return id == null ? 0 : id;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
