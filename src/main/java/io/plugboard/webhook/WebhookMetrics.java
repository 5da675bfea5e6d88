package io.plugboard.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plugboard.common.SampledValue;
import io.plugboard.security.TenantScope;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Webhook delivery as an operator watches it: {@code plugboard.webhook.backlog} (deliveries waiting),
 * {@code plugboard.webhook.lag} (seconds the oldest delivery that is due has waited past its attempt time; 0 when
 * the workers keep up) and {@code plugboard.webhook.attempts} by outcome. Both gauges are read from the database,
 * across all tenants, at most every few seconds.
 */
@Component
class WebhookMetrics {

    static final String BACKLOG = "plugboard.webhook.backlog";
    static final String LAG = "plugboard.webhook.lag";
    static final String ATTEMPTS = "plugboard.webhook.attempts";
    private static final Duration SAMPLE = Duration.ofSeconds(5);

    enum Outcome { DELIVERED, RETRY, FAILED }

    private final Counter[] attempts = new Counter[Outcome.values().length];

    WebhookMetrics(MeterRegistry registry, DataSource dataSource, Clock clock) {
        var jdbc = new JdbcTemplate(dataSource);
        Gauge.builder(BACKLOG, new SampledValue(BACKLOG, () -> scoped(() -> jdbc.queryForObject(
                        "SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING'", Long.class)), SAMPLE), SampledValue::getAsDouble)
                .strongReference(true)
                .description("Webhook deliveries waiting for their first or next attempt").register(registry);
        Gauge.builder(LAG, new SampledValue(LAG, () -> {
                    Timestamp now = Timestamp.from(clock.instant());
                    return scoped(() -> jdbc.queryForObject("""
                            SELECT coalesce(extract(epoch FROM ? - min(next_attempt_at)), 0) FROM webhook_deliveries
                            WHERE status = 'PENDING' AND next_attempt_at <= ?""", Double.class, now, now));
                }, SAMPLE), SampledValue::getAsDouble)
                .strongReference(true)
                .description("How long the oldest due webhook delivery has waited past its attempt time")
                .baseUnit("seconds").register(registry);
        for (Outcome outcome : Outcome.values()) {
            attempts[outcome.ordinal()] = Counter.builder(ATTEMPTS).description("Webhook delivery attempts by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
    }

    void attempted(Outcome outcome) {
        attempts[outcome.ordinal()].increment();
    }

    private static double scoped(java.util.function.Supplier<? extends Number> query) {
        Number value = TenantScope.platform("webhook metrics count every tenant's deliveries", query);
        return value == null ? 0 : value.doubleValue();
    }
}
