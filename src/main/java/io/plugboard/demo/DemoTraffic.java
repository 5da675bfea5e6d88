package io.plugboard.demo;

import io.plugboard.tenant.DemoTenantSeeded;
import javax.sql.DataSource;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gives the freshly seeded demo tenant a week of sample call-log history across its sample credentials, so
 * the dashboard's call chart, error rate and latency have something to show on a first start. The rows are
 * generated, not calls that happened: busier in the (UTC) daytime, mostly 2xx, some 4xx and a few 5xx or
 * unanswered calls, latencies around 150 ms. Demo mode only, like the sample credentials themselves.
 */
@Component
class DemoTraffic {

    static final int CALLS = 2_500;

    private final JdbcTemplate jdbc;

    DemoTraffic(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** After {@link DemoCredentials}, inside the same seeding transaction. */
    @EventListener
    @Order(2)
    void seed(DemoTenantSeeded demo) {
        jdbc.update("""
                WITH creds AS (SELECT array_agg(id ORDER BY created_at) AS ids, array_agg(app_key ORDER BY created_at) AS apps
                               FROM credentials WHERE tenant_id = ?),
                calls AS (SELECT n, now() - (n::float8 / ?) * interval '7 days' AS at, random() AS r, random() AS u1,
                                 random() AS u2
                          FROM generate_series(1, ?) n)
                INSERT INTO proxy_calls (tenant_id, credential_id, app_key, method, path, status, latency_ms, bytes_in,
                                         bytes_out, retries, source, actor, request_id, created_at)
                SELECT ?, creds.ids[1 + n % cardinality(creds.ids)], creds.apps[1 + n % cardinality(creds.ids)],
                       CASE WHEN n % 4 = 0 THEN 'POST' ELSE 'GET' END, CASE WHEN n % 4 = 0 THEN '/v1/notes' ELSE '/v1/people' END,
                       CASE WHEN r < 0.93 THEN 200 WHEN r < 0.96 THEN 404 WHEN r < 0.975 THEN 429 WHEN r < 0.99 THEN 502
                            ELSE 0 END,
                       least(30000, round(exp(5 + 0.6 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2))))::int,
                       CASE WHEN n % 4 = 0 THEN 300 ELSE 0 END, 900 + n % 4000, 0, 'API', 'tenant:demo-sample',
                       'req_demo_' || n, at
                FROM calls, creds
                WHERE cardinality(creds.ids) > 0
                  -- Fewer calls at night (UTC): keep a row with a probability that follows the hour of day.
                  AND random() < 0.25 + 0.75 * (0.5 - 0.5 * cos(2 * pi() * extract(hour FROM at AT TIME ZONE 'UTC') / 24))
                """, demo.tenantId(), CALLS, CALLS, demo.tenantId());
        // As the call log does for real calls: the credentials' last use.
        jdbc.update("""
                UPDATE credentials c SET last_used_at = (SELECT max(created_at) FROM proxy_calls p WHERE p.credential_id = c.id)
                WHERE c.tenant_id = ?""", demo.tenantId());
    }
}
