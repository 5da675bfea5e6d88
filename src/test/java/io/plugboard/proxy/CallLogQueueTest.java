package io.plugboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Overload of the call log's queue: what does not fit is dropped, and counted where an operator sees it. */
class CallLogQueueTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Never flushed here, so no database is reached: only the queue and its meters are under test.
    private final CallLog callLog = new CallLog(new SimpleDriverDataSource(), null, null, Clock.systemUTC(),
            new ProxyMetrics(registry), 2);

    @Test
    void aFullQueueDropsTheCallAndCountsIt() {
        for (int i = 0; i < 5; i++) {
            callLog.record(call(i));
        }

        assertThat(registry.get(ProxyMetrics.CALL_LOG_QUEUED).gauge().value()).isEqualTo(2);
        assertThat(registry.get(ProxyMetrics.CALL_LOG_DROPPED).tag("reason", "queue_full").counter().count())
                .isEqualTo(3);
        assertThat(registry.get(ProxyMetrics.CALL_LOG_DROPPED).tag("reason", "database").counter().count()).isZero();
    }

    @Test
    void nothingIsCountedAsDroppedWhileTheQueueHasRoom() {
        callLog.record(call(0));

        assertThat(registry.get(ProxyMetrics.CALL_LOG_QUEUED).gauge().value()).isEqualTo(1);
        assertThat(registry.get(ProxyMetrics.CALL_LOG_DROPPED).tag("reason", "queue_full").counter().count()).isZero();
    }

    private static CallLog.Call call(int i) {
        return new CallLog.Call(UUID.randomUUID(), "cred_" + i, "keys", "GET", "/x", 200, 3, 0, 120, 0, CallSource.API,
                "api:tenant", "req-" + i, Instant.now(), null, true);
    }
}
