package io.plugboard.proxy;

import io.plugboard.common.DatabaseUnavailable;
import io.plugboard.credential.CredentialUsage;
import io.plugboard.security.TenantScope;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The call log, written off the hot path: calls are queued in memory and inserted in batches every
 * half second, together with the credentials' last-used times. Rows carry no bodies, query values or secrets.
 * Calls Plugboard refused before the provider was reached are logged too (with the problem type the caller
 * got), but they do not mark the credential as used or checked: it was not.
 *
 * <p>A batch the database refuses is kept and tried again first on the next flushes (at most
 * {@value #MAX_KEPT_ROWS} rows, each batch for {@value #MAX_ATTEMPTS} flushes); what has to go is counted and
 * logged once per flush, never silently lost.
 */
@Component
public class CallLog {

    private static final Logger log = LoggerFactory.getLogger(CallLog.class);
    private static final int CAPACITY = 100_000;
    private static final int BATCH = 5_000;
    /** Rows kept for another try after the database refused them; beyond this the oldest batches go. */
    static final int MAX_KEPT_ROWS = 50_000;
    /** Flushes a kept batch is tried at (one every half second: about a minute of database trouble). */
    static final int MAX_ATTEMPTS = 120;

    /**
     * One call.
     *
     * @param credentialId the id the caller sent, which may match no credential of the tenant
     * @param appKey       the credential's connector, or null when the call was refused before the credential was
     *                     opened (the row then takes it from the credential, if the tenant has one by that id)
     * @param problem      the problem type when Plugboard answered instead of the provider, else null
     * @param sent         whether a request went out to the provider, i.e. the credential was used
     */
    public record Call(UUID tenantId, String credentialId, @Nullable String appKey, String method, String path,
                       int status, long latencyMs, long bytesIn, long bytesOut, int retries, CallSource source,
                       String actor, String requestId, Instant at, @Nullable String problem, boolean sent) {
    }

    private final BlockingQueue<Call> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final ReentrantLock flushing = new ReentrantLock();
    /** Batches whose insert failed, oldest first; touched only while holding {@link #flushing}. */
    private final Deque<Kept> kept = new ArrayDeque<>();
    private int keptRows;
    private long lostToErrors;
    private final JdbcTemplate jdbc;
    private final CredentialUsage usage;
    private final ProxyProperties properties;
    private final Clock clock;
    private final ProxyMetrics metrics;

    @Autowired
    CallLog(DataSource dataSource, CredentialUsage usage, ProxyProperties properties, Clock clock, ProxyMetrics metrics) {
        this(dataSource, usage, properties, clock, metrics, CAPACITY);
    }

    CallLog(DataSource dataSource, CredentialUsage usage, ProxyProperties properties, Clock clock, ProxyMetrics metrics,
            int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        this.jdbc = new JdbcTemplate(dataSource);
        this.usage = usage;
        this.properties = properties;
        this.clock = clock;
        metrics.callLogQueue(queue);
    }

    void record(Call call) {
        metrics.record(call.appKey(), call.sent() && call.problem() == null, call.status(),
                TimeUnit.MILLISECONDS.toNanos(call.latencyMs()));
        if (!queue.offer(call)) {
            dropped.incrementAndGet();
            metrics.callLogRowDropped();
        }
    }

    /**
     * Writes what is queued. The scheduler, shutdown and tests may call this at the same time: one flush runs at
     * a time here, and the rows of a batch are updated in credential-id order, so two flushes (here or on another
     * instance) touching the same credentials wait for each other instead of deadlocking.
     */
    @Scheduled(fixedDelay = 500)
    public void flush() {
        TenantScope.platform("the call log writes every tenant's calls in one batch", this::flushScoped);
    }

    private void flushScoped() {
        flushing.lock();
        try {
            if (retryKept()) {
                List<Call> batch = new ArrayList<>(Math.min(queue.size(), BATCH));
                while (queue.drainTo(batch, BATCH) > 0) {
                    if (!write(batch)) {
                        keep(batch);
                        break;
                    }
                    batch = new ArrayList<>(Math.min(queue.size(), BATCH));
                }
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                log.warn("Call log queue was full: {} call records were dropped", lost);
            }
            if (lostToErrors > 0) {
                log.warn("Call log: {} call records were dropped after the database refused them for too long",
                        lostToErrors);
                lostToErrors = 0;
            }
        } finally {
            flushing.unlock();
        }
    }

    /** A batch the database refused, and how many times it was tried. */
    private record Kept(List<Call> calls, int attempts) {
    }

    /**
     * Tries the kept batches, oldest first, and stops at the first that fails again: the database is still in
     * trouble, so the queue waits (and fills, counting what it drops) rather than piling up more kept rows.
     *
     * @return whether nothing is kept any more
     */
    private boolean retryKept() {
        while (!kept.isEmpty()) {
            Kept oldest = kept.peekFirst();
            if (write(oldest.calls())) {
                kept.pollFirst();
                keptRows -= oldest.calls().size();
                continue;
            }
            kept.pollFirst();
            if (oldest.attempts() + 1 >= MAX_ATTEMPTS) {
                keptRows -= oldest.calls().size();
                lostToErrors += oldest.calls().size();
                metrics.callLogRowsLostToDatabase(oldest.calls().size());
            } else {
                kept.addFirst(new Kept(oldest.calls(), oldest.attempts() + 1));
                return false;
            }
        }
        return true;
    }

    private void keep(List<Call> batch) {
        kept.addLast(new Kept(batch, 1));
        keptRows += batch.size();
        while (keptRows > MAX_KEPT_ROWS) {
            Kept oldest = kept.pollFirst();
            keptRows -= oldest.calls().size();
            lostToErrors += oldest.calls().size();
            metrics.callLogRowsLostToDatabase(oldest.calls().size());
        }
    }

    /**
     * Inserts the batch (one statement: all rows or none), then marks the credentials used.
     *
     * @return false when the insert failed and the batch should be kept; a failure after it only loses
     *         last-used times, which the next call sets again, so the rows are not written twice
     */
    private boolean write(List<Call> batch) {
        try {
            jdbc.update(con -> insert(con, batch));
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.causedBy(e)) {
                // Every half second while the database is down: counted, not a line each time.
                DatabaseUnavailable.LOG.warn("Call log batches kept for the next flush, database unavailable",
                        batch.size() + " rows");
            } else {
                log.warn("Could not write {} call log rows, keeping them for the next flush: {}", batch.size(),
                        e.getMessage());
            }
            return false;
        }
        try {
            Map<String, Instant> lastUsed = new TreeMap<>();
            batch.stream().filter(Call::sent)
                    .forEach(c -> lastUsed.merge(c.credentialId(), c.at(), (a, b) -> a.isAfter(b) ? a : b));
            usage.touch(lastUsed);
            Map<String, Object[]> checks = new TreeMap<>();
            batch.stream().filter(c -> c.sent() && c.source() == CallSource.PORTAL).forEach(c -> checks.merge(
                    c.credentialId(), new Object[] {c.status(), c.at()},
                    (a, b) -> ((Instant) a[1]).isAfter((Instant) b[1]) ? a : b));
            usage.checked(checks);
        } catch (RuntimeException e) {
            log.warn("Could not mark the credentials of {} call log rows as used: {}", batch.size(), e.getMessage());
        }
        return true;
    }

    /**
     * The batch as one {@code INSERT … SELECT} over arrays, a column each: PostgreSQL plans and executes one
     * statement per batch instead of one per row, which was most of the database's CPU per proxied call. Rows keep
     * the queue's order, so ids follow the order the calls were logged in. The connector of a refused call is
     * looked up only when it is not known (PostgreSQL evaluates the sub-select only then), in the caller's tenant:
     * another tenant's credential id names no connector.
     */
    private static PreparedStatement insert(Connection con, List<Call> batch) throws SQLException {
        int n = batch.size();
        Object[] tenants = new Object[n];
        Object[] credentials = new Object[n];
        Object[] appKeys = new Object[n];
        Object[] methods = new Object[n];
        Object[] paths = new Object[n];
        Object[] statuses = new Object[n];
        Object[] latencies = new Object[n];
        Object[] bytesIn = new Object[n];
        Object[] bytesOut = new Object[n];
        Object[] retries = new Object[n];
        Object[] sources = new Object[n];
        Object[] actors = new Object[n];
        Object[] requestIds = new Object[n];
        Object[] micros = new Object[n];
        Object[] problems = new Object[n];
        for (int i = 0; i < n; i++) {
            Call c = batch.get(i);
            tenants[i] = c.tenantId();
            credentials[i] = fit(c.credentialId(), 40);
            appKeys[i] = c.appKey();
            methods[i] = fit(c.method(), 10);
            paths[i] = fit(c.path(), 2000);
            statuses[i] = c.status();
            latencies[i] = (int) Math.min(c.latencyMs(), Integer.MAX_VALUE);
            bytesIn[i] = c.bytesIn();
            bytesOut[i] = c.bytesOut();
            retries[i] = c.retries();
            sources[i] = c.source().name();
            actors[i] = fit(c.actor(), 254);
            requestIds[i] = fit(c.requestId(), 40);
            micros[i] = TimeUnit.SECONDS.toMicros(c.at().getEpochSecond()) + c.at().getNano() / 1_000;
            problems[i] = fit(c.problem(), 50);
        }
        PreparedStatement insert = con.prepareStatement("""
                INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                    bytes_out, retries, source, actor, request_id, created_at, problem)
                SELECT c.tenant_id, c.credential_id,
                    COALESCE(c.app_key, (SELECT app_key FROM credentials WHERE id = c.credential_id AND tenant_id = c.tenant_id)),
                    c.method, c.path, c.status, c.latency_ms, c.bytes_in, c.bytes_out, c.retries, c.source, c.actor,
                    c.request_id, timestamptz 'epoch' + c.micros * interval '1 microsecond', c.problem
                FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::int[],
                    ?::bigint[], ?::bigint[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[])
                    WITH ORDINALITY AS c(tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                        bytes_out, retries, source, actor, request_id, micros, problem, position)
                ORDER BY c.position""");
        int column = 0;
        insert.setArray(++column, con.createArrayOf("uuid", tenants));
        insert.setArray(++column, con.createArrayOf("varchar", credentials));
        insert.setArray(++column, con.createArrayOf("varchar", appKeys));
        insert.setArray(++column, con.createArrayOf("varchar", methods));
        insert.setArray(++column, con.createArrayOf("varchar", paths));
        insert.setArray(++column, con.createArrayOf("int4", statuses));
        insert.setArray(++column, con.createArrayOf("int4", latencies));
        insert.setArray(++column, con.createArrayOf("int8", bytesIn));
        insert.setArray(++column, con.createArrayOf("int8", bytesOut));
        insert.setArray(++column, con.createArrayOf("int4", retries));
        insert.setArray(++column, con.createArrayOf("varchar", sources));
        insert.setArray(++column, con.createArrayOf("varchar", actors));
        insert.setArray(++column, con.createArrayOf("varchar", requestIds));
        insert.setArray(++column, con.createArrayOf("int8", micros));
        insert.setArray(++column, con.createArrayOf("varchar", problems));
        return insert;
    }

    /**
     * Cuts a value to its column's width: the credential id of a refused call is whatever the caller sent, and
     * one value too long would cost the whole batch.
     */
    private static @Nullable String fit(@Nullable String value, int width) {
        return value == null || value.length() <= width ? value : value.substring(0, width);
    }

    /** Keeps the call log to its retention, deleting in small batches so no long lock is held. */
    @Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
    public void enforceRetention() {
        TenantScope.platform("retention: old calls of every tenant", this::deleteExpired);
    }

    private void deleteExpired() {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(properties.callLogRetention()), ZoneOffset.UTC);
        int deleted;
        do {
            deleted = jdbc.update("DELETE FROM proxy_calls WHERE id IN "
                    + "(SELECT id FROM proxy_calls WHERE created_at < ? LIMIT 10000)", cutoff);
        } while (deleted == 10_000);
    }

    @PreDestroy
    void drainOnShutdown() {
        flush();
    }
}
