package io.plugboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Requests per second and latency of a small GET straight to a tiny local upstream and through the proxy, in
 * the same run, with the same number of keep-alive connections and the same duration. The upstream is the
 * JDK's HttpServer answering 120 bytes of JSON from memory, so what differs between the two is Plugboard:
 * JWT check, rate limit, credential lookup and auth injection, the upstream call and the copy back.
 *
 * <p>The client is wrk-like: each connection is one platform thread sending the same request over one
 * keep-alive socket in a closed loop and timing each answer. Direct and proxied runs alternate
 * ({@value #ROUNDS} rounds each) so a change in machine load hits both. Tenant backends reuse one JWT for its
 * lifetime, so does this. Asserts only that every answer was a 200; prints and writes
 * {@code target/benchmarks/proxy-throughput.md}. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@TestPropertySource(properties = {"plugboard.api.rate-limit.requests-per-second=1000000",
        "plugboard.api.rate-limit.burst=1000000"})
class ProxyThroughputBenchmark extends ProxyTestSupport {

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 4);
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 20));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final int ROUNDS = 2;
    private static final byte[] ANSWER = "{\"id\":\"c_1\",\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"tags\":[\"a\",\"b\"],\"updated\":\"2026-01-01T00:00:00Z\"}"
            .getBytes(StandardCharsets.UTF_8);

    private HttpServer upstream;
    private ExecutorService upstreamThreads;

    @AfterAll
    void stopUpstream() {
        if (upstream != null) {
            upstream.stop(0);
            upstreamThreads.shutdownNow();
        }
    }

    @Test
    void directAndThroughTheProxy() throws Exception {
        upstreamThreads = Executors.newFixedThreadPool(Math.max(4, CONNECTIONS * 2));
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/api/contacts", exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ANSWER);
            }
        });
        upstream.start();
        int upstreamPort = upstream.getAddress().getPort();

        String appKey = apiKeyConnectorAt("bench-crm", "http://127.0.0.1:%d/api".formatted(upstreamPort));
        String credentialId = apiKeyCredential(appKey, Map.of("apiKey", "bench-key"));
        String jwt = jwt();

        String direct = "GET /api/contacts/c_1?fields=name HTTP/1.1\r\nHost: 127.0.0.1:" + upstreamPort
                + "\r\nAccept: application/json\r\nX-Api-Key: bench-key\r\n\r\n";
        String proxied = "GET " + PROXY + "/contacts/c_1?fields=name HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: application/json\r\nAuthorization: Bearer " + jwt + "\r\nX-Credential-Id: "
                + credentialId + "\r\n\r\n";

        run(upstreamPort, direct, WARM_UP.dividedBy(4));
        run(port, proxied, WARM_UP);
        String loadBefore = Machine.load();
        List<Run> directRuns = new ArrayList<>();
        List<Run> proxyRuns = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            directRuns.add(run(upstreamPort, direct, MEASURE));
            proxyRuns.add(run(port, proxied, MEASURE));
        }
        String loadAfter = Machine.load();
        Run directAll = Run.merge(directRuns);
        Run proxyAll = Run.merge(proxyRuns);
        assertThat(directAll.failures()).as("direct answers other than 200").isZero();
        assertThat(proxyAll.failures()).as("proxied answers other than 200").isZero();

        String report = String.format(Locale.ROOT, """
                # Proxy throughput: direct vs through Plugboard

                %d keep-alive connections, %d rounds of %d s each way (alternating), after %d s of warm-up.

                | path | requests | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |
                |---|---|---|---|---|---|---|---|
                %s
                %s

                Throughput ratio proxy/direct: **%.2f**. Added latency: p50 **+%s ms**, p99 **+%s ms**.
                Load average before the measured rounds: %s; after: %s.

                %s
                """, CONNECTIONS, ROUNDS, MEASURE.toSeconds(), WARM_UP.toSeconds(),
                directAll.row("direct"), proxyAll.row("proxy"), proxyAll.perSecond() / directAll.perSecond(),
                Samples.ms(proxyAll.samples().percentileMillis(50) - directAll.samples().percentileMillis(50)),
                Samples.ms(proxyAll.samples().percentileMillis(99) - directAll.samples().percentileMillis(99)),
                loadBefore, loadAfter, Machine.describe());
        System.out.println(report);
        Files.writeString(Machine.reportFile("proxy-throughput.md"), report);
    }

    /** A closed loop on {@link #CONNECTIONS} keep-alive sockets for {@code duration}. */
    private static Run run(int port, String request, Duration duration) throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        long end = System.nanoTime() + duration.toNanos();
        var failures = new AtomicLong();
        List<Future<long[]>> loops = new ArrayList<>();
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS)) {
            for (int i = 0; i < CONNECTIONS; i++) {
                loops.add(clients.submit(() -> {
                    long[] nanos = new long[1 << 16];
                    int count = 0;
                    try (var connection = new KeepAliveConnection(port)) {
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            int status = connection.exchange(bytes);
                            long took = System.nanoTime() - t0;
                            if (status != 200) {
                                failures.incrementAndGet();
                            }
                            if (count == nanos.length) {
                                nanos = Arrays.copyOf(nanos, nanos.length * 2);
                            }
                            nanos[count++] = took;
                        }
                    }
                    return Arrays.copyOf(nanos, count);
                }));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> loop : loops) {
            all.add(loop.get());
        }
        return new Run(all, seconds, failures.get());
    }

    private record Run(List<long[]> nanos, double seconds, long failures) {

        static Run merge(List<Run> runs) {
            return new Run(runs.stream().flatMap(r -> r.nanos().stream()).toList(),
                    runs.stream().mapToDouble(Run::seconds).sum(), runs.stream().mapToLong(Run::failures).sum());
        }

        long count() {
            return nanos.stream().mapToLong(a -> a.length).sum();
        }

        double perSecond() {
            return count() / seconds;
        }

        Samples samples() {
            var samples = new Samples((int) count());
            nanos.forEach(a -> Arrays.stream(a).forEach(samples::add));
            return samples;
        }

        String row(String name) {
            Samples s = samples();
            return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %s | %s | %s | %s | %s |", name, count(), perSecond(),
                    Samples.ms(s.percentileMillis(50)), Samples.ms(s.percentileMillis(90)),
                    Samples.ms(s.percentileMillis(99)), Samples.ms(s.percentileMillis(99.9)), Samples.ms(s.maxMillis()));
        }
    }
}
