package io.plugboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * How fast Sync to DB backfills: {@code bench.people} people (default 100,000) from a Follow Up Boss stand-in that
 * answers each 100-person page from memory (the JDK's HttpServer), through the whole path — the worker's claim, the
 * proxy, the Universal translation, one upsert and checkpoint per page — from {@code PUT …/sync} until the model's
 * first pass is complete. Samples the heap every 100 ms: a backfill holds one page at a time, so the live heap
 * after collections should not grow with the number of records.
 *
 * <p>Asserts that every person was stored once; prints and writes {@code target/benchmarks/sync-backfill.md}.
 * Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@TestPropertySource(properties = "plugboard.sync.worker-enabled=true")
class SyncBackfillBenchmark extends ProxyTestSupport {

    private static final int PEOPLE = Integer.getInteger("bench.people", 100_000);
    private static final int PAGE = 100;

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
    void backfill() throws Exception {
        upstreamThreads = Executors.newFixedThreadPool(4);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/v1/people", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            int page = 0;
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (pair.startsWith("next=")) {
                    page = Integer.parseInt(pair.substring(5));
                }
            }
            byte[] body = page(page).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
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

        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        var peak = new AtomicLong();
        var samples = new ArrayList<Long>();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long used = memory.getHeapMemoryUsage().getUsed();
                peak.accumulateAndGet(used, Math::max);
                synchronized (samples) {
                    samples.add(used);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        String loadBefore = Machine.load();
        long started = System.nanoTime();
        var configured = sync("PUT", credentialId, "{\"models\": [\"people\"]}");
        assertThat(configured.statusCode()).as(new String(configured.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode state;
        do {
            Thread.sleep(50);
            state = json(sync("GET", credentialId, null)).path("models").get(0);
        } while (state.path("phase").asString().equals("backfill") && state.path("consecutiveFailures").asInt() == 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        sampler.join();
        String loadAfter = Machine.load();
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();

        assertThat(state.path("lastError").isNull()).as(state.toString()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM synced_people WHERE credential_id = ?", Long.class,
                credentialId)).isEqualTo(PEOPLE);
        assertThat(state.path("records").asLong()).isEqualTo(PEOPLE);
        String report = String.format(Locale.ROOT, """
                # Sync to DB: backfill

                %,d people in %,d pages of %d from a local Follow Up Boss stand-in, from PUT …/sync to the first
                complete pass: **%.1f s, %,.0f records/s**.

                Heap used after a full GC: %,d MB before, %,d MB after; peak while running %,d MB (%d samples).

                Load average before: %s; after: %s.

                %s
                """, PEOPLE, (PEOPLE + PAGE - 1) / PAGE, PAGE, seconds, PEOPLE / seconds, heapBefore >> 20,
                heapAfter >> 20, peak.get() >> 20, samples.size(), loadBefore, loadAfter, Machine.describe());
        System.out.println(report);
        Files.writeString(Machine.reportFile("sync-backfill.md"), report);
    }

    private HttpResponse<byte[]> sync(String method, String credentialId, String body) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/credentials/"
                        + credentialId + "/sync"))
                .header("Authorization", "Bearer " + jwt())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.build());
    }

    /**
     * Page {@code n} of the people as {@code GET /v1/people} answers (the record of
     * https://docs.followupboss.com/docs/requests-and-responses with the fields of
     * https://docs.followupboss.com/reference/people-get, paging as https://docs.followupboss.com/reference/pagination
     * with the page number as the {@code next} token), each person distinct.
     */
    private static String page(int n) {
        var people = new ArrayList<String>();
        int first = n * PAGE;
        for (int i = first; i < Math.min(first + PAGE, PEOPLE); i++) {
            people.add("""
                    {"id": %d, "created": "2026-01-%02dT10:00:00Z", "updated": "2026-02-%02dT11:30:00Z",
                     "createdVia": "API", "lastActivity": "2026-02-%02dT11:30:00Z", "name": "Person %d Example",
                     "firstName": "Person", "lastName": "%d Example", "stage": "Lead", "source": "Zillow",
                     "sourceUrl": null, "contacted": 0, "price": 450000, "assignedUserId": %d, "assignedTo": "Jane Agent",
                     "tags": ["Buyer", "Scottsdale"],
                     "emails": [{"value": "person%d@example.com", "type": "home", "status": "Valid", "isPrimary": 1}],
                     "phones": [{"value": "555-%07d", "type": "mobile", "status": "Valid", "isPrimary": 1}],
                     "addresses": [{"type": "home", "street": "%d Main St", "city": "Scottsdale", "state": "AZ",
                                    "code": "85251", "country": "United States"}]}"""
                    .formatted(1_000_000 + i, i % 28 + 1, i % 28 + 1, i % 28 + 1, i, i, i % 50, i, i, i + 1));
        }
        boolean more = first + PAGE < PEOPLE;
        return """
                {"_metadata": {"collection": "people", "offset": %d, "limit": %d, "total": %d, "next": %s},
                 "people": [%s]}""".formatted(first, PAGE, PEOPLE, more ? "\"" + (n + 1) + "\"" : "null",
                String.join(",", people));
    }
}
