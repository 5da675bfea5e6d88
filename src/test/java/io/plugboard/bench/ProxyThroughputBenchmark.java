package io.plugboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Requests per second and latency of a small GET straight to a tiny local upstream, through nginx as a plain
 * reverse proxy, and through Plugboard's proxy, in the same run, with the same load generator, number of
 * keep-alive connections and duration. The upstream is the JDK's HttpServer answering 120 bytes of JSON from
 * memory, so what differs between the three is the proxy in between: for Plugboard the JWT check, rate limit,
 * credential lookup and auth injection, the upstream call, the copy back, its metrics, spans and call log.
 *
 * <p>Plugboard runs as in production: durable database, Prometheus registry on (the scrape token set), JSON
 * logs, tracing on at the default sampling with an OTLP collector that accepts and drops the spans. Only the
 * per-tenant rate limit is raised, so the benchmark measures the proxy and not the refusals.
 *
 * <p>The load generator is wrk when it is installed (the targets are stated in wrk's numbers), else a wrk-like
 * socket client of the benchmark's own (each connection a platform thread in a closed loop). nginx is started
 * from a generated configuration when it is installed; without it the nginx column is skipped and the report
 * says how to install it. The three alternate ({@value #ROUNDS} rounds each by default) so a change in machine
 * load hits all alike. Around every round it reads the CPU time used by this JVM (the upstream, and Plugboard),
 * PostgreSQL and nginx: per call, that depends far less on what else the machine runs than the rates do. Asserts
 * only that every answer was a 200; prints and writes
 * {@code target/benchmarks/proxy-throughput.md}. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@TestPropertySource(properties = {"plugboard.api.rate-limit.requests-per-second=1000000",
        "plugboard.api.rate-limit.burst=1000000",
        "plugboard.database.durable=true",
        "plugboard.log-format=ecs"})
class ProxyThroughputBenchmark extends ProxyTestSupport {

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 4);
    private static final int WRK_THREADS = Integer.getInteger("bench.wrk-threads", 2);
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 20));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final String PATH = "/api/contacts/c_1?fields=name";
    private static final String UPSTREAM_KEY = "bench-key";
    private static final byte[] ANSWER = "{\"id\":\"c_1\",\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"tags\":[\"a\",\"b\"],\"updated\":\"2026-01-01T00:00:00Z\"}"
            .getBytes(StandardCharsets.UTF_8);

    /**
     * Stands in for an OpenTelemetry collector: takes every OTLP export and answers 200. Its address must be known
     * before the context starts (the tracing settings are read while the environment is prepared, before dynamic
     * properties exist), so it starts with the class and is handed over as a system property.
     */
    private static final AtomicLong exports = new AtomicLong();
    private static final HttpServer collector = collector();

    private HttpServer upstream;
    private ExecutorService upstreamThreads;

    private static HttpServer collector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/v1/traces", exchange -> {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                exports.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            System.setProperty("plugboard.tracing.otlp-endpoint",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void stopServers() {
        if (upstream != null) {
            upstream.stop(0);
            upstreamThreads.shutdownNow();
        }
        collector.stop(0);
        System.clearProperty("plugboard.tracing.otlp-endpoint");
    }

    @Test
    void directNginxAndPlugboard() throws Exception {
        upstreamThreads = Executors.newFixedThreadPool(Math.max(4, CONNECTIONS * 4));
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
        String credentialId = apiKeyCredential(appKey, Map.of("apiKey", UPSTREAM_KEY));
        String jwt = jwt();

        List<String> notes = new ArrayList<>();
        Optional<Path> wrkBinary = Wrk.binary();
        Client client = wrkBinary.isPresent() ? new WrkClient(new Wrk(wrkBinary.get(), WRK_THREADS)) : new SocketClient();
        String clientName = wrkBinary.map(b -> "wrk (" + WRK_THREADS + " threads)").orElse("the benchmark's socket client");
        if (wrkBinary.isEmpty()) {
            notes.add(Wrk.INSTALL_HINT);
        }

        List<Target> targets = new ArrayList<>();
        targets.add(new Target("direct", upstreamPort, Map.of("Accept", "application/json", "X-Api-Key", UPSTREAM_KEY),
                WARM_UP.dividedBy(4)));
        Optional<Path> nginxBinary = Nginx.binary();
        Nginx nginx = null;
        if (nginxBinary.isPresent()) {
            nginx = Nginx.start(nginxBinary.get(), upstreamPort, "Bearer " + UPSTREAM_KEY);
            targets.add(new Target("nginx", nginx.port(), Map.of("Accept", "application/json"), WARM_UP.dividedBy(4)));
            notes.add(Nginx.version(nginxBinary.get()) + ", configuration: target/benchmarks/nginx/nginx.conf");
        } else {
            notes.add(Nginx.INSTALL_HINT);
        }
        // The proxied path: /api/v1/proxy + the path under the connector's base URL (which ends in /api).
        targets.add(new Target("plugboard", port, Map.of("Accept", "application/json", "Authorization", "Bearer " + jwt,
                "X-Credential-Id", credentialId), WARM_UP));
        System.out.println(notes);

        // Found by its port: the data directory's setting holds ${random.uuid}, which is new at every reading.
        List<ProcessHandle> postgres = ProcessCpu.treeOfCommandContaining(
                " -p " + context.getBean(EmbeddedPostgres.class).getPort() + " ");
        List<ProcessHandle> nginxProcesses = nginx == null ? List.of() : nginx.processes();
        Map<String, List<LoadRun>> runs = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        String loadBefore;
        String loadAfter;
        try {
            for (Target target : targets) {
                client.run(target, target.warmUp());
                runs.put(target.name(), new ArrayList<>());
                cpu.put(target.name(), new long[3]);
            }
            loadBefore = Machine.load();
            for (int round = 0; round < ROUNDS; round++) {
                for (Target target : targets) {
                    long[] before = {ProcessCpu.jvmNanos(), ProcessCpu.nanos(postgres), ProcessCpu.nanos(nginxProcesses)};
                    runs.get(target.name()).add(client.run(target, MEASURE));
                    long[] after = {ProcessCpu.jvmNanos(), ProcessCpu.nanos(postgres), ProcessCpu.nanos(nginxProcesses)};
                    for (int i = 0; i < 3; i++) {
                        cpu.get(target.name())[i] += after[i] - before[i];
                    }
                }
            }
            loadAfter = Machine.load();
        } finally {
            if (nginx != null) {
                nginx.close();
            }
        }
        Map<String, LoadRun> merged = new LinkedHashMap<>();
        runs.forEach((name, list) -> merged.put(name, LoadRun.merge(list)));
        merged.forEach((name, run) -> assertThat(run.failures()).as(name + ": answers other than 200").isZero());

        LoadRun direct = merged.get("direct");
        LoadRun plugboard = merged.get("plugboard");
        LoadRun viaNginx = merged.get("nginx");
        var rows = new StringBuilder();
        Map<String, double[]> cpuPerCall = new LinkedHashMap<>();
        merged.forEach((name, run) -> {
            double[] micros = Arrays.stream(cpu.get(name)).mapToDouble(n -> n / 1e3 / run.requests()).toArray();
            cpuPerCall.put(name, micros);
            rows.append(run.row(name)).append(String.format(Locale.ROOT, " %.0f / %.1f / %.0f |", micros[0], micros[1],
                    micros[2])).append('\n');
        });
        // The JVM also runs the upstream, so what a proxy costs per call is its CPU beyond the direct rounds'.
        double[] base = cpuPerCall.get("direct");
        double plugboardCpu = cpuPerCall.get("plugboard")[0] - base[0] + cpuPerCall.get("plugboard")[1] - base[1];
        var summary = new StringBuilder();
        summary.append(String.format(Locale.ROOT, "CPU per call of the proxy itself (beyond the direct rounds'): "
                + "Plugboard %.0f µs (JVM and PostgreSQL)", plugboardCpu));
        if (viaNginx != null) {
            double nginxCpu = cpuPerCall.get("nginx")[2] + cpuPerCall.get("nginx")[0] - base[0];
            summary.append(String.format(Locale.ROOT, ", nginx %.0f µs: Plugboard/nginx %.2f.%n", nginxCpu,
                    plugboardCpu / nginxCpu));
            summary.append(String.format(Locale.ROOT, "Throughput Plugboard/nginx: **%.2f** (target ≥ 0.5). ",
                    plugboard.perSecond() / viaNginx.perSecond()));
            summary.append(String.format(Locale.ROOT, "nginx/direct: %.2f. nginx added p50 %s ms, p99 %s ms.%n",
                    viaNginx.perSecond() / direct.perSecond(), added(viaNginx, direct, 50), added(viaNginx, direct, 99)));
        }
        if (viaNginx == null) {
            summary.append(".\n");
        }
        summary.append(String.format(Locale.ROOT, "Throughput Plugboard/direct: %.2f. Plugboard added latency over direct: "
                        + "p50 **%s ms** (target ≤ 0.2), p99 **%s ms** (target ≤ 1.5), p99.9 %s ms.",
                plugboard.perSecond() / direct.perSecond(), added(plugboard, direct, 50), added(plugboard, direct, 99),
                added(plugboard, direct, 99.9)));

        String report = String.format(Locale.ROOT, """
                # Proxy throughput: direct, nginx and Plugboard

                Client: %s, %d keep-alive connections; rounds: %d of %d s per target (alternating), after warm-up.
                Plugboard: durable database, Prometheus on, JSON logs (ecs), tracing on at the default sampling
                (%d OTLP exports taken by the stand-in collector).

                | path | requests | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | CPU µs per call: JVM / PostgreSQL / nginx |
                |---|---|---|---|---|---|---|---|---|
                %s
                %s

                Load average before the measured rounds: %s; after: %s.

                %s

                %s
                """, clientName, CONNECTIONS, ROUNDS, MEASURE.toSeconds(), exports.get(), rows.toString().strip(),
                summary, loadBefore, loadAfter, String.join("\n", notes.stream().map(n -> "- " + n).toList()),
                Machine.describe());
        System.out.println(report);
        Files.writeString(Machine.reportFile("proxy-throughput.md"), report);
    }

    private static String added(LoadRun through, LoadRun direct, double percentile) {
        double added = through.p(percentile) - direct.p(percentile);
        return (added < 0 ? "-" : "+") + Latencies.ms(Math.abs(added));
    }

    /** One thing to measure: a port and the headers its callers send. */
    private record Target(String name, int port, Map<String, String> headers, Duration warmUp) {
    }

    private interface Client {
        LoadRun run(Target target, Duration duration) throws Exception;
    }

    private record WrkClient(Wrk wrk) implements Client {
        @Override
        public LoadRun run(Target target, Duration duration) throws Exception {
            String path = target.name().equals("plugboard") ? PROXY + PATH.substring("/api".length()) : PATH;
            return wrk.run(target.port(), path, target.headers(), CONNECTIONS, duration);
        }
    }

    /** A closed loop on {@link #CONNECTIONS} keep-alive sockets, for when wrk is not installed. */
    private static final class SocketClient implements Client {
        @Override
        public LoadRun run(Target target, Duration duration) throws Exception {
            String path = target.name().equals("plugboard") ? PROXY + PATH.substring("/api".length()) : PATH;
            var request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(target.port()).append("\r\n");
            target.headers().forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            byte[] bytes = request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            long end = System.nanoTime() + duration.toNanos();
            var failures = new AtomicLong();
            List<Future<long[]>> loops = new ArrayList<>();
            long started = System.nanoTime();
            try (ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS)) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    loops.add(clients.submit(() -> {
                        long[] nanos = new long[1 << 16];
                        int count = 0;
                        try (var connection = new KeepAliveConnection(target.port())) {
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
            var latencies = new Latencies();
            long requests = 0;
            for (Future<long[]> loop : loops) {
                long[] nanos = loop.get();
                requests += nanos.length;
                for (long n : nanos) {
                    latencies.add(n / 1000, 1);
                }
            }
            return new LoadRun(requests, seconds, failures.get(), latencies);
        }
    }
}
