package io.plugboard.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.plugboard.common.StatusClass;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code plugboard.proxy.calls}: a timer per connector, outcome ({@code provider}: the provider answered;
 * {@code plugboard}: Plugboard answered instead) and status class, with fixed buckets. The timers of a connector
 * are built on first use and then found with one map lookup and an array index: nothing is allocated per call.
 */
@Component
class ProxyMetrics {

    static final String CALLS = "plugboard.proxy.calls";
    /** Calls refused before their credential was opened have no connector. */
    static final String NO_CONNECTOR = "none";
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    private static final String[] OUTCOMES = {"provider", "plugboard"};

    static final String CALL_LOG_DROPPED = "plugboard.proxy.call.log.dropped";
    static final String CALL_LOG_QUEUED = "plugboard.proxy.call.log.queued";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer[]> timers = new ConcurrentHashMap<>();
    private final Counter droppedQueueFull;
    private final Counter droppedDatabase;

    ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.droppedQueueFull = dropped("queue_full");
        this.droppedDatabase = dropped("database");
    }

    private Counter dropped(String reason) {
        return Counter.builder(CALL_LOG_DROPPED)
                .description("Call log rows dropped: the in-memory queue was full, or the database refused them for too long")
                .tag("reason", reason).register(registry);
    }

    /** The call log's queue, read at each scrape: rows waiting for the next batch insert. */
    void callLogQueue(Collection<?> queue) {
        Gauge.builder(CALL_LOG_QUEUED, queue, Collection::size)
                .description("Call log rows waiting in memory for the next batch insert").register(registry);
    }

    void callLogRowDropped() {
        droppedQueueFull.increment();
    }

    void callLogRowsLostToDatabase(long rows) {
        droppedDatabase.increment(rows);
    }

    void record(@Nullable String appKey, boolean answeredByProvider, int status, long latencyNanos) {
        Timer[] byConnector = timers.computeIfAbsent(appKey == null ? NO_CONNECTOR : appKey,
                connector -> new Timer[OUTCOMES.length * StatusClass.count()]);
        int slot = (answeredByProvider ? 0 : 1) * StatusClass.count() + StatusClass.index(status);
        Timer timer = byConnector[slot];
        if (timer == null) {
            // Registered on first use, so a connector shows only the series it has had; a race registers the same one.
            timer = Timer.builder(CALLS)
                    .description("Proxied calls and their latency, including Plugboard's own work")
                    .tag("connector", appKey == null ? NO_CONNECTOR : appKey).tag("outcome", OUTCOMES[slot / StatusClass.count()])
                    .tag("status", StatusClass.label(slot % StatusClass.count()))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            byConnector[slot] = timer;
        }
        timer.record(latencyNanos, TimeUnit.NANOSECONDS);
    }
}
