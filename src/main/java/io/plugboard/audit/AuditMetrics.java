package io.plugboard.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.plugboard.common.SampledValue;
import io.plugboard.security.TenantScope;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code plugboard.audit.sealing.lag}: seconds since the oldest audit event not yet linked into the hash chain
 * happened; 0 when all are sealed. It stays near the seal interval; a growing value means the sealer is stuck.
 */
@Component
class AuditMetrics {

    static final String SEALING_LAG = "plugboard.audit.sealing.lag";

    AuditMetrics(MeterRegistry registry, DataSource dataSource) {
        var jdbc = new JdbcTemplate(dataSource);
        Gauge.builder(SEALING_LAG, new SampledValue(SEALING_LAG, () -> {
                    List<Double> oldest = TenantScope.platform("the sealing lag spans every tenant's events",
                            () -> jdbc.queryForList("""
                                    SELECT extract(epoch FROM now() - occurred_at)::float8 FROM audit_events
                                    WHERE hash IS NULL ORDER BY seq LIMIT 1""", Double.class));
                    return oldest.isEmpty() ? 0 : Math.max(0, oldest.getFirst());
                }, Duration.ofSeconds(5)), SampledValue::getAsDouble)
                .strongReference(true)
                .description("Age of the oldest audit event not yet sealed into the hash chain")
                .baseUnit("seconds").register(registry);
    }
}
