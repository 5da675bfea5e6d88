package io.plugboard.connect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * {@code plugboard.connect.sessions.started} and {@code plugboard.connect.sessions.completed} (by connector and
 * kind, {@code new} or {@code reconnect}): how many end users who were sent to connect got a credential. A session
 * may offer several connectors, so only completions carry one.
 */
@Component
class ConnectMetrics {

    static final String STARTED = "plugboard.connect.sessions.started";
    static final String COMPLETED = "plugboard.connect.sessions.completed";

    private final MeterRegistry registry;
    private final Counter started;
    private final ConcurrentHashMap<String, Counter[]> completed = new ConcurrentHashMap<>();

    ConnectMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.started = Counter.builder(STARTED).description("Connect sessions created").register(registry);
    }

    void started() {
        started.increment();
    }

    /** Counted once the credential is committed. */
    @TransactionalEventListener
    void on(ConnectSessionCompleted event) {
        completed.computeIfAbsent(event.appKey(), key -> new Counter[] {counter(key, "new"), counter(key, "reconnect")})
                [event.reconnect() ? 1 : 0].increment();
    }

    private Counter counter(String connector, String kind) {
        return Counter.builder(COMPLETED).description("Connect sessions that produced a credential")
                .tag("connector", connector).tag("kind", kind).register(registry);
    }
}
