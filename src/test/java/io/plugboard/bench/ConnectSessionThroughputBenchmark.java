package io.plugboard.bench;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.TenantService;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Connect-session creations per second through the real API: the HS512 JWT authenticated on every request (a
 * token seen before, while its key stays cached, only has its expiry checked; with fresh tokens each one is parsed
 * and verified in full), the session written to PostgreSQL and audited. Like a tenant backend, each client thread mints a token and
 * reuses it until it is about to expire ({@code -Dbench.fresh-tokens=true} mints one per request instead), and
 * sends it over its own keep-alive connection with a raw-socket loop that costs the shared CPU next to nothing.
 * The warm-up (30 s) lets the JIT finish compiling the request path before the measurement.
 * The embedded database is durable, as it is by default ({@code -Dbench.durable=false} for the throwaway
 * settings the other tests use). Besides the rate it reports the CPU time spent per creation by this JVM
 * (server and client) and by PostgreSQL, which depends much less on what else the machine runs.
 * Prints and writes target/benchmarks/connect-sessions.md; asserts nothing about time. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@TestPropertySource(properties = {"plugboard.api.rate-limit.requests-per-second=1000000",
        "plugboard.api.rate-limit.burst=1000000",
        "plugboard.database.durable=${bench.durable:true}"})
class ConnectSessionThroughputBenchmark {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 30));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 30));
    private static final boolean FRESH_TOKENS = Boolean.getBoolean("bench.fresh-tokens");
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

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
        String body = "{\"endUser\":{\"id\":\"bench-user\"},\"allowedConnectors\":[\"followupboss\"]}";

        var postgres = new PostgresCpu(jdbc);
        boolean durable = "on".equals(jdbc.queryForObject("SHOW fsync", String.class))
                && "on".equals(jdbc.queryForObject("SHOW synchronous_commit", String.class));
        run(key, clientId, body, WARM_UP, Collections.synchronizedList(new ArrayList<>()));
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        long jvmCpu0 = jvmCpuNanos();
        long pgCpu0 = postgres.nanos();
        Instant start = Instant.now();
        int done = run(key, clientId, body, MEASURE, latencies);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        double jvmMs = (jvmCpuNanos() - jvmCpu0) / 1e6 / done;
        double pgMs = (postgres.nanos() - pgCpu0) / 1e6 / done;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        int cores = Runtime.getRuntime().availableProcessors();
        String report = String.format("""
                # Connect-session creations through the API

                | clients | tokens | database | seconds | sessions | per second | p50 ms | p99 ms | CPU ms per creation: JVM + PostgreSQL | per second the CPU time allows on %d idle cores |
                |---|---|---|---|---|---|---|---|---|---|
                | %d | %s | %s | %.1f | %d | %.0f | %.2f | %.2f | %.2f + %.2f | %.0f |

                Each request: the HS512 JWT authenticated (%s), JSON validated, session + audit event committed.
                The JVM's CPU includes the %d client threads. Machine: %d cores, %s, load before %s, after %s.
                """, cores, CLIENTS, FRESH_TOKENS ? "one per request" : "one per client thread, reused",
                durable ? "durable" : "not durable", seconds, done, done / seconds, percentile(sorted, 50),
                percentile(sorted, 99), jvmMs, pgMs, cores * 1000 / (jvmMs + pgMs),
                FRESH_TOKENS ? "each token parsed and verified in full" : "a repeated token: expiry checked against the remembered verification",
                CLIENTS, cores,
                System.getProperty("java.version"), loadBefore, Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println(report);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/connect-sessions.md"), report);
    }

    /** {@link #CLIENTS} closed loops, each on its own keep-alive connection, for {@code duration}. */
    private int run(javax.crypto.SecretKey key, String clientId, String body, Duration duration, List<Long> latencies)
            throws Exception {
        Instant end = Instant.now().plus(duration);
        var count = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int i = 0; i < CLIENTS; i++) {
                pool.submit(() -> {
                    byte[] request = null;
                    Instant renewAt = Instant.MIN;
                    try (var connection = new KeepAliveConnection(port)) {
                        while (Instant.now().isBefore(end)) {
                            Instant now = Instant.now();
                            if (FRESH_TOKENS || !now.isBefore(renewAt)) {
                                String jwt = Jwts.builder().issuer(clientId).subject("tenant").issuedAt(Date.from(now))
                                        .expiration(Date.from(now.plus(TOKEN_LIFETIME)))
                                        .signWith(key, Jwts.SIG.HS512).compact();
                                request = request(jwt, body);
                                renewAt = now.plus(TOKEN_LIFETIME).minusSeconds(60);
                            }
                            long t0 = System.nanoTime();
                            int status = connection.exchange(request);
                            latencies.add(System.nanoTime() - t0);
                            if (status != 201) {
                                throw new IllegalStateException("HTTP " + status);
                            }
                            count.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        return count.get();
    }

    private byte[] request(String jwt, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/connect-sessions HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                + "Authorization: Bearer " + jwt + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the embedded PostgreSQL: the postmaster and its backends, from /proc (Linux). */
    private static final class PostgresCpu {
        private final long postmaster;
        private final long nanosPerTick;

        PostgresCpu(JdbcTemplate jdbc) throws Exception {
            Path dataDir = Path.of(jdbc.queryForObject("SHOW data_directory", String.class));
            this.postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().strip());
            // USER_HZ is 100 on every Linux architecture the embedded binaries exist for.
            this.nanosPerTick = 10_000_000L;
        }

        /** Ticks of the processes alive now; a backend that exits in between would be missed (Hikari keeps them). */
        long nanos() {
            var processes = new ArrayList<Long>();
            processes.add(postmaster);
            ProcessHandle.of(postmaster).ifPresent(p -> p.children().forEach(c -> processes.add(c.pid())));
            long ticks = 0;
            for (long pid : processes) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (Exception e) {
                    // the process ended; its time is lost either way
                }
            }
            return ticks * nanosPerTick;
        }
    }

    private static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1_000_000.0;
    }
}
