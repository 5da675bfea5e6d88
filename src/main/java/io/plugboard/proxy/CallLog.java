package io.plugboard.proxy;

import io.plugboard.credential.CredentialUsage;
import jakarta.annotation.PreDestroy;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The call log, written off the hot path: calls are queued in memory and inserted in batches every
 * half second, together with the credentials' last-used times. Rows carry no bodies, query values or secrets.
 * Calls Plugboard refused before the provider was reached are logged too (with the problem type the caller
 * got), but they do not mark the credential as used or checked: it was not.
 */
@Component
public class CallLog {

    private static final Logger log = LoggerFactory.getLogger(CallLog.class);
    private static final int CAPACITY = 100_000;
    private static final int BATCH = 5_000;

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

    private final BlockingQueue<Call> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final ReentrantLock flushing = new ReentrantLock();
    private final JdbcTemplate jdbc;
    private final CredentialUsage usage;
    private final ProxyProperties properties;
    private final Clock clock;

    CallLog(DataSource dataSource, CredentialUsage usage, ProxyProperties properties, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.usage = usage;
        this.properties = properties;
        this.clock = clock;
    }

    void record(Call call) {
        if (!queue.offer(call)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Writes what is queued. The scheduler, shutdown and tests may call this at the same time: one flush runs at
     * a time here, and the rows of a batch are updated in credential-id order, so two flushes (here or on another
     * instance) touching the same credentials wait for each other instead of deadlocking.
     */
    @Scheduled(fixedDelay = 500)
    public void flush() {
        flushing.lock();
        try {
            List<Call> batch = new ArrayList<>(Math.min(queue.size(), BATCH));
            while (queue.drainTo(batch, BATCH) > 0) {
                write(batch);
                batch.clear();
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                log.warn("Call log queue was full: {} call records were dropped", lost);
            }
        } finally {
            flushing.unlock();
        }
    }

    private void write(List<Call> batch) {
        try {
            // The connector of a refused call is looked up only when it is not known (PostgreSQL evaluates the
            // sub-select only then), in the caller's tenant: another tenant's credential id names no connector.
            jdbc.batchUpdate("""
                    INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                        bytes_out, retries, source, actor, request_id, created_at, problem)
                    VALUES (?, ?, COALESCE(?, (SELECT app_key FROM credentials WHERE id = ? AND tenant_id = ?)),
                        ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    batch.stream().map(c -> {
                        String credentialId = fit(c.credentialId(), 40);
                        return new Object[] {c.tenantId(), credentialId, varchar(c.appKey()), credentialId, c.tenantId(),
                                fit(c.method(), 10), fit(c.path(), 2000), c.status(),
                                (int) Math.min(c.latencyMs(), Integer.MAX_VALUE), c.bytesIn(), c.bytesOut(),
                                c.retries(), c.source().name(), fit(c.actor(), 254), fit(c.requestId(), 40),
                                OffsetDateTime.ofInstant(c.at(), ZoneOffset.UTC), varchar(fit(c.problem(), 50))};
                    }).toList());
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
            log.warn("Could not write {} call log rows: {}", batch.size(), e.getMessage());
        }
    }

    /**
     * Cuts a value to its column's width: the credential id of a refused call is whatever the caller sent, and
     * one value too long would cost the whole batch.
     */
    private static @Nullable String fit(@Nullable String value, int width) {
        return value == null || value.length() <= width ? value : value.substring(0, width);
    }

    /** A string that may be null, typed so the driver is not asked what the column is for each null. */
    private static SqlParameterValue varchar(@Nullable String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    /** Keeps the call log to its retention, deleting in small batches so no long lock is held. */
    @Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
    public void enforceRetention() {
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
