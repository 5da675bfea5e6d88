package io.plugboard.bench;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.NewCredential;
import io.plugboard.tenant.TestTenants;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.WebhookService;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Webhook delivery to a local receiver (the JDK's HTTP server on loopback, answering 204 at once):
 * <ol>
 * <li>drain: {@value #DRAIN} deliveries committed at once, then the time until all are delivered (each one
 *     claimed, signed, POSTed, its outcome and audit event committed) — events per second;</li>
 * <li>lag: credentials created by {@value #PRODUCERS} threads for {@value #LAG_SECONDS} s through the real
 *     service (the outbox row in the same transaction), and for each the time from its commit to its arrival at
 *     the receiver — p50/p99. {@code -Dbench.rate=100} (the default) paces them to that many credentials per
 *     second in all, the latency below capacity; {@code -Dbench.rate=0} lets them go as fast as they can, which
 *     measures the backlog of a saturated worker instead.</li>
 * </ol>
 * Prints and writes target/benchmarks/webhooks.md; asserts nothing about time. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
class WebhookDeliveryBenchmark {

    private static final int DRAIN = 5_000;
    private static final int PRODUCERS = 4;
    private static final int LAG_SECONDS = 30;
    /** Credentials created per second in all during the lag run; 0: as fast as the producers go (saturation). */
    private static final int RATE = Integer.getInteger("bench.rate", 100);
    private static final Pattern CREDENTIAL = Pattern.compile("\"credentialId\":\"([^\"]+)\"");

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WebhookService webhooks;
    @Autowired
    CredentialService credentials;
    @Autowired
    IntegrationService integrations;

    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicInteger received = new AtomicInteger();

    @Test
    void deliveryThroughputAndCommitToDeliveryLag() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = CREDENTIAL.matcher(body);
            if (m.find()) {
                arrivals.putIfAbsent(m.group(1), now);
            }
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            var tenant = TestTenants.create(context, "bench-wh");
            SignedIn.as(jdbc, tenant.adminEmail());
            integrations.update(tenant.id(), "followupboss", new IntegrationUpdate(true, null, null, List.of()));
            UUID endpoint = webhooks.create(tenant.id(), new EndpointInput("http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook", null, List.of("credential.created"))).endpoint().id();

            double drainSeconds = drain(tenant.id(), endpoint);
            Lag lag = lag(tenant.id());
            String report = String.format(Locale.ROOT, """
                    # Webhook delivery to a local receiver

                    | measure | result |
                    |---|---|
                    | drain: %d deliveries committed at once, delivered in | %.1f s (%.0f events/s) |
                    | lag: credentials created (%d threads, %d s, %s), events delivered | %d of %d |
                    | lag from commit to arrival, p50 / p99 / max | %s / %s / %s ms |

                    Worker: one instance, concurrency %s, poll interval %s; every delivery signed (HMAC-SHA256),
                    its outcome and an audit event committed. Receiver: JDK HttpServer on loopback, 204.
                    %s
                    """, DRAIN, drainSeconds, DRAIN / drainSeconds, PRODUCERS, LAG_SECONDS,
                    RATE > 0 ? RATE + " per second" : "as fast as they go", lag.delivered(), lag.created(),
                    Samples.ms(lag.samples().percentileMillis(50)), Samples.ms(lag.samples().percentileMillis(99)),
                    Samples.ms(lag.samples().maxMillis()),
                    context.getEnvironment().getProperty("plugboard.webhooks.concurrency"),
                    context.getEnvironment().getProperty("plugboard.webhooks.poll-interval"), Machine.describe());
            System.out.println(report);
            Files.createDirectories(Path.of("target/benchmarks"));
            Files.writeString(Path.of("target/benchmarks/webhooks.md"), report);
        } finally {
            SignedIn.out();
            receiver.stop(0);
        }
    }

    /** Commits {@value #DRAIN} deliveries in one transaction and waits until the worker has delivered them all. */
    private double drain(UUID tenantId, UUID endpointId) throws InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("""
                WITH events AS (
                    INSERT INTO webhook_events (id, tenant_id, type, payload, created_at)
                    SELECT 'evt_drain_' || ? || '_' || n, ?, 'credential.created',
                           json_build_object('id', 'evt_drain_' || ? || '_' || n, 'type', 'credential.created',
                               'createdAt', now(), 'tenant', ?::text, 'data', json_build_object('credentialId',
                               'cred_drain_' || ? || '_' || n, 'appKey', 'followupboss', 'endUserId', 'bench',
                               'status', 'ACTIVE', 'metadata', json_build_object()))::text, now()
                    FROM generate_series(1, ?) n
                    RETURNING id)
                INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, ordering_key, status,
                    next_attempt_at, give_up_at, created_at)
                SELECT ?, ?, e.id, 'credential.created', replace(e.id, 'evt_', 'cred_'), 'PENDING', now(),
                       now() + interval '3 days', now()
                FROM events e""", run, tenantId, run, tenantId, run, DRAIN, tenantId, endpointId);
        long start = System.nanoTime();
        while (pending(endpointId) > 0) {
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private record Lag(int created, int delivered, Samples samples) {
    }

    private Lag lag(UUID tenantId) throws InterruptedException {
        var committed = new ConcurrentHashMap<String, Long>();
        var security = SecurityContextHolder.getContext();
        long end = System.nanoTime() + Duration.ofSeconds(LAG_SECONDS).toNanos();
        try (var producers = Executors.newFixedThreadPool(PRODUCERS)) {
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.submit(() -> {
                    SecurityContextHolder.setContext(security);
                    long interval = RATE > 0 ? 1_000_000_000L * PRODUCERS / RATE : 0;
                    long begin = System.nanoTime() + interval * producer / PRODUCERS;
                    for (int i = 0; System.nanoTime() < end; i++) {
                        long wait = begin + i * interval - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        String user = "lag-" + producer + "-" + i;
                        String id = credentials.create(tenantId, new NewCredential("followupboss", user, null, null, null,
                                Map.of("apiKey", "k"), null, null)).id();
                        committed.put(id, System.nanoTime());
                    }
                    return null;
                });
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!arrivals.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        var samples = new Samples(committed.size());
        committed.forEach((id, at) -> {
            Long arrived = arrivals.get(id);
            if (arrived != null) {
                samples.add(Math.max(0, arrived - at));
            }
        });
        return new Lag(committed.size(), samples.size(), samples);
    }

    private long pending(UUID endpointId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'PENDING'",
                Long.class, endpointId);
        return count == null ? 0 : count;
    }
}
