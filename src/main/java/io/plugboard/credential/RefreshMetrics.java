package io.plugboard.credential;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@code plugboard.token.refreshes}: token refreshes that reached the provider, by connector and outcome. Labels
 * are the connector and one of four fixed outcomes, never the credential or its end user.
 */
@Component
class RefreshMetrics {

    static final String REFRESHES = "plugboard.token.refreshes";

    enum Outcome {
        /** A new token is stored. */
        REFRESHED,
        /** The provider refused for good; the credential needs a reconnect. */
        REJECTED,
        /** The request failed (provider down, timeout, temporary error); it is tried again later. */
        FAILED,
        /** The credential was revoked, reconnected or changed meanwhile; the answer was not stored. */
        SUPERSEDED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter[]> counters = new ConcurrentHashMap<>();

    RefreshMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String appKey, Outcome outcome) {
        Counter[] byConnector = counters.computeIfAbsent(appKey, key -> {
            Counter[] all = new Counter[Outcome.values().length];
            for (Outcome o : Outcome.values()) {
                all[o.ordinal()] = Counter.builder(REFRESHES).description("Token refreshes by connector and outcome")
                        .tag("connector", key).tag("outcome", o.label).register(registry);
            }
            return all;
        });
        byConnector[outcome.ordinal()].increment();
    }
}
