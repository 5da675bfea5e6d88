package io.plugboard.proxy;

import io.plugboard.credential.CredentialUsage;
import jakarta.annotation.PreDestroy;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The call log, written off the hot path: calls are queued in memory and inserted in batches every
 * half second, together with the credentials' last-used times. Rows carry no bodies, query values or secrets.
 */
@Component
public class CallLog {

    private static final Logger log = LoggerFactory.getLogger(CallLog.class);
    private static final int CAPACITY = 100_000;
    private static final int BATCH = 5_000;

    public record Call(UUID tenantId, String credentialId, String appKey, String method, String path, int status,
                       long latencyMs, long bytesIn, long bytesOut, int retries, CallSource source, String actor,
                       String requestId, Instant at) {
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
            jdbc.batchUpdate("""
                    INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                        bytes_out, retries, source, actor, request_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    batch.stream().map(c -> new Object[] {c.tenantId(), c.credentialId(), c.appKey(), c.method(),
                            c.path(), c.status(), (int) Math.min(c.latencyMs(), Integer.MAX_VALUE), c.bytesIn(),
                            c.bytesOut(), c.retries(), c.source().name(), c.actor(), c.requestId(),
                            OffsetDateTime.ofInstant(c.at(), ZoneOffset.UTC)}).toList());
            Map<String, Instant> lastUsed = new TreeMap<>();
            batch.forEach(c -> lastUsed.merge(c.credentialId(), c.at(), (a, b) -> a.isAfter(b) ? a : b));
            usage.touch(lastUsed);
            Map<String, Object[]> checks = new TreeMap<>();
            batch.stream().filter(c -> c.source() == CallSource.PORTAL).forEach(c -> checks.merge(c.credentialId(),
                    new Object[] {c.status(), c.at()}, (a, b) -> ((Instant) a[1]).isAfter((Instant) b[1]) ? a : b));
            usage.checked(checks);
        } catch (RuntimeException e) {
            log.warn("Could not write {} call log rows: {}", batch.size(), e.getMessage());
        }
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
