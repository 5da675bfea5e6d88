package io.plugboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * What the Universal CRM API's translation costs: the same 100-person page of a Follow Up Boss stand-in fetched
 * through the raw proxy (the provider's JSON passed through) and through {@code GET /universal/crm/people} (the
 * same call, then read whole, translated into the Universal model and written again), alternating in rounds
 * within one run, driven by wrk with the same keep-alive connections. The upstream is the JDK's HttpServer
 * answering the page from memory, so the difference between the two rows is the engine: mapping lookup, the
 * cursor seal, JSON parsing and translation of 100 records, and the larger answer written.
 *
 * <p>Asserts only that every answer was a 200; prints and writes
 * {@code target/benchmarks/universal-translation.md}. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@TestPropertySource(properties = {"plugboard.api.rate-limit.requests-per-second=1000000",
        "plugboard.api.rate-limit.burst=1000000"})
class UniversalTranslationBenchmark extends ProxyTestSupport {

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 4);
    private static final int WRK_THREADS = Integer.getInteger("bench.wrk-threads", 2);
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 20));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int PEOPLE = 100;

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
    void rawProxyAndUniversalApi() throws Exception {
        var wrkBinary = Wrk.binary();
        assumeTrue(wrkBinary.isPresent(), Wrk.INSTALL_HINT);
        byte[] page = peoplePage().getBytes(StandardCharsets.UTF_8);
        upstreamThreads = Executors.newFixedThreadPool(Math.max(4, CONNECTIONS * 4));
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/v1/people", exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        upstream.start();
        // fub-standin speaks Follow Up Boss's Universal mapping (PlugboardTest's connector-mappings setting).
        String appKey = connector("""
                appKey: fub-standin
                name: Follow Up Boss (stand-in)
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: http://127.0.0.1:%d/v1
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(upstream.getAddress().getPort()));
        String credentialId = apiKeyCredential(appKey, Map.of("apiKey", "bench-key"));
        Map<String, String> headers = Map.of("Accept", "application/json", "Authorization", "Bearer " + jwt(),
                "X-Credential-Id", credentialId);
        // The same provider request both ways: the Universal API asks Follow Up Boss for sort=created&limit=100.
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("raw proxy", PROXY + "/people?sort=created&limit=" + PEOPLE);
        paths.put("Universal API", "/api/v1/universal/crm/people?limit=" + PEOPLE);

        var wrk = new Wrk(wrkBinary.get(), WRK_THREADS);
        List<ProcessHandle> postgres = ProcessCpu.treeOfCommandContaining(
                " -p " + context.getBean(EmbeddedPostgres.class).getPort() + " ");
        Map<String, List<LoadRun>> runs = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        for (var path : paths.entrySet()) {
            wrk.run(port, path.getValue(), headers, CONNECTIONS, WARM_UP);
            runs.put(path.getKey(), new ArrayList<>());
            cpu.put(path.getKey(), new long[2]);
        }
        String loadBefore = Machine.load();
        for (int round = 0; round < ROUNDS; round++) {
            for (var path : paths.entrySet()) {
                long jvm = ProcessCpu.jvmNanos();
                long db = ProcessCpu.nanos(postgres);
                runs.get(path.getKey()).add(wrk.run(port, path.getValue(), headers, CONNECTIONS, MEASURE));
                cpu.get(path.getKey())[0] += ProcessCpu.jvmNanos() - jvm;
                cpu.get(path.getKey())[1] += ProcessCpu.nanos(postgres) - db;
            }
        }
        String loadAfter = Machine.load();

        Map<String, LoadRun> merged = new LinkedHashMap<>();
        runs.forEach((name, list) -> merged.put(name, LoadRun.merge(list)));
        merged.forEach((name, run) -> assertThat(run.failures()).as(name + ": answers other than 200").isZero());
        var rows = new StringBuilder();
        merged.forEach((name, run) -> rows.append(run.row(name)).append(String.format(Locale.ROOT, " %.0f / %.1f |%n",
                cpu.get(name)[0] / 1e3 / run.requests(), cpu.get(name)[1] / 1e3 / run.requests())));
        LoadRun raw = merged.get("raw proxy");
        LoadRun universal = merged.get("Universal API");
        double cpuAdded = (cpu.get("Universal API")[0] / 1e3 / universal.requests())
                - (cpu.get("raw proxy")[0] / 1e3 / raw.requests());
        String report = String.format(Locale.ROOT, """
                # Universal CRM API: translation overhead

                A %d-person Follow Up Boss page (%,d bytes) from a local stand-in, through the raw proxy and through
                the Universal API. Client: wrk (%d threads), %d keep-alive connections; rounds: %d of %d s per path
                (alternating), after %d s of warm-up each.

                | path | requests | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | CPU µs per call: JVM / PostgreSQL |
                |---|---|---|---|---|---|---|---|---|
                %s

                Translation added: p50 **%s ms** (target ≤ 1), p99 %s ms; JVM CPU per call +%.0f µs; throughput
                Universal/raw %.2f.

                Load average before the measured rounds: %s; after: %s.

                %s
                """, PEOPLE, page.length, WRK_THREADS, CONNECTIONS, ROUNDS, MEASURE.toSeconds(), WARM_UP.toSeconds(),
                rows.toString().strip(), added(universal, raw, 50), added(universal, raw, 99), cpuAdded,
                universal.perSecond() / raw.perSecond(), loadBefore, loadAfter, Machine.describe());
        System.out.println(report);
        Files.writeString(Machine.reportFile("universal-translation.md"), report);
    }

    private static String added(LoadRun through, LoadRun base, double percentile) {
        double added = through.p(percentile) - base.p(percentile);
        return (added < 0 ? "-" : "+") + Latencies.ms(Math.abs(added));
    }

    /**
     * A page of {@value #PEOPLE} people as {@code GET /v1/people} answers (the record of
     * https://docs.followupboss.com/docs/requests-and-responses with the fields of
     * https://docs.followupboss.com/reference/people-get), each person distinct.
     */
    private static String peoplePage() {
        var people = new ArrayList<String>();
        for (int i = 0; i < PEOPLE; i++) {
            people.add("""
                    {"id": %d, "created": "2026-01-%02dT10:00:00Z", "updated": "2026-02-%02dT11:30:00Z",
                     "createdVia": "API", "lastActivity": "2026-02-%02dT11:30:00Z", "name": "Person %d Example",
                     "firstName": "Person", "lastName": "%d Example", "stage": "Lead", "source": "Zillow",
                     "sourceUrl": null, "contacted": 0, "price": 450000, "assignedUserId": 7, "assignedTo": "Jane Agent",
                     "tags": ["Buyer", "Scottsdale"],
                     "emails": [{"value": "person%d@example.com", "type": "home", "status": "Valid", "isPrimary": 1}],
                     "phones": [{"value": "555-555-%04d", "type": "mobile", "status": "Valid", "isPrimary": 1}],
                     "addresses": [{"type": "home", "street": "%d Main St", "city": "Scottsdale", "state": "AZ",
                                    "code": "85251", "country": "United States"}]}"""
                    .formatted(1000 + i, i % 28 + 1, i % 28 + 1, i % 28 + 1, i, i, i, i, i + 1));
        }
        return """
                {"_metadata": {"collection": "people", "offset": 0, "limit": %d, "total": 250,
                 "next": "eyJzaW5jZUlkIjoxMDk5fQ", "nextLink": "https://api.followupboss.com/v1/people?next=eyJzaW5jZUlkIjoxMDk5fQ"},
                 "people": [%s]}""".formatted(PEOPLE, String.join(",", people));
    }
}
