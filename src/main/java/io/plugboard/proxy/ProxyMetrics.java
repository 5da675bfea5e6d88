package io.plugboard.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.plugboard.common.StatusClass;
import java.time.Duration;
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

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer[]> timers = new ConcurrentHashMap<>();

    ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
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
