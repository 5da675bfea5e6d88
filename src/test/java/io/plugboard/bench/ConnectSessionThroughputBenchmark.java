package io.plugboard.bench;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.TenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Connect-session creations per second through the real API: a fresh HS512 JWT verified per request,
 * the session written to PostgreSQL and audited. Prints and writes target/benchmarks/connect-sessions.md;
 * asserts nothing about time. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@TestPropertySource(properties = {"plugboard.api.rate-limit.requests-per-second=1000000",
        "plugboard.api.rate-limit.burst=1000000"})
class ConnectSessionThroughputBenchmark {

    private static final int CLIENTS = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration MEASURE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TenantService tenants;
    @Autowired
    IntegrationService integrations;

    @Test
    void connectSessionCreationsPerSecond() throws Exception {
        var admin = SignedIn.as(jdbc, "admin@demo.local");
        UUID tenantId = admin.tenantId();
        String secret = tenants.rotateClientSecret(tenantId);
        String clientId = tenants.apiCredentials(tenantId).clientId();
        integrations.update(tenantId, "followupboss", new IntegrationUpdate(true, null, null, List.of()));
        SignedIn.out();

        var key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://localhost:" + port + "/api/v1/connect-sessions");
        String body = "{\"endUser\":{\"id\":\"bench-user\"},\"allowedConnectors\":[\"followupboss\"]}";

        run(http, uri, key, clientId, body, WARM_UP, new ArrayList<>());
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Instant start = Instant.now();
        int done = run(http, uri, key, clientId, body, MEASURE, latencies);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        String report = String.format("""
                # Connect-session creations through the API

                | clients | seconds | sessions | per second | p50 ms | p99 ms |
                |---|---|---|---|---|---|
                | %d | %.1f | %d | %.0f | %.2f | %.2f |

                Each request: a new HS512 JWT verified, JSON validated, session + audit event committed.
                Machine: %d cores, %s, load %s.
                """, CLIENTS, seconds, done, done / seconds, percentile(sorted, 50), percentile(sorted, 99),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println(report);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/connect-sessions.md"), report);
    }

    private static int run(HttpClient http, URI uri, javax.crypto.SecretKey key, String clientId, String body,
                           Duration duration, List<Long> latencies) throws Exception {
        Instant end = Instant.now().plus(duration);
        var count = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int i = 0; i < CLIENTS; i++) {
                pool.submit(() -> {
                    while (Instant.now().isBefore(end)) {
                        Instant now = Instant.now();
                        String jwt = Jwts.builder().issuer(clientId).subject("tenant").issuedAt(Date.from(now))
                                .expiration(Date.from(now.plusSeconds(600))).signWith(key, Jwts.SIG.HS512).compact();
                        long t0 = System.nanoTime();
                        var response = http.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + jwt).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        latencies.add(System.nanoTime() - t0);
                        if (response.statusCode() != 201) {
                            throw new IllegalStateException("HTTP " + response.statusCode());
                        }
                        count.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        return count.get();
    }

    private static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1_000_000.0;
    }
}
