package io.plugboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import tools.jackson.databind.JsonNode;

/**
 * A Universal API read answered from synced records against the same read answered live: {@code GET
 * /api/v1/universal/crm/people?limit=25} through a credential whose people ({@code bench.people}, default 10,000)
 * are synced, and through one that is not, both of a Follow Up Boss stand-in answering from memory (the JDK's
 * HttpServer, so the live path's cost is Plugboard's and the loopback's, not a real CRM's). Also a synced read
 * with store-only filters ({@code tag}, {@code stage}, {@code q}) and a synced read deep in the keyset. One
 * client, one request at a time, the kinds interleaved so that the machine's load falls on all alike.
 *
 * <p>Prints and writes {@code target/benchmarks/synced-reads.md}. Run: see docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@TestPropertySource(properties = "plugboard.sync.worker-enabled=true")
class SyncedReadBenchmark extends ProxyTestSupport {

    private static final int PEOPLE = Integer.getInteger("bench.people", 10_000);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 2_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 300);
    private static final int PAGE = 100;
    private static final int LIVE_PAGE = 25;

    private HttpServer upstream;
    /** One token for every timed request: signing one is the client's work, not what is measured. */
    private String token;
    private ExecutorService upstreamThreads;

    @AfterAll
    void stopUpstream() {
        if (upstream != null) {
            upstream.stop(0);
            upstreamThreads.shutdownNow();
        }
    }

    @Test
    void syncedAgainstLive() throws Exception {
        upstreamThreads = Executors.newFixedThreadPool(4);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/v1/people", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            int page = 0;
            int limit = PAGE;
            for (String pair : query == null ? new String[0] : query.split("&")) {
                if (pair.startsWith("next=")) {
                    page = Integer.parseInt(pair.substring(5));
                } else if (pair.startsWith("limit=")) {
                    limit = Integer.parseInt(pair.substring(6));
                }
            }
            byte[] body = page(page, limit).getBytes(StandardCharsets.UTF_8);
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
        String synced = apiKeyCredential(appKey, Map.of("apiKey", "bench-key"));
        String live = apiKeyCredential(appKey, Map.of("apiKey", "bench-key"));
        var configured = sync(HttpRequest.newBuilder(syncUri(synced)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"models\": [\"people\"]}")));
        assertThat(configured.statusCode()).isEqualTo(200);
        JsonNode state;
        do {
            Thread.sleep(50);
            state = json(sync(HttpRequest.newBuilder(syncUri(synced)).GET())).path("models").get(0);
        } while (state.path("phase").asString().equals("backfill") && state.path("consecutiveFailures").asInt() == 0);
        assertThat(state.path("lastError").isNull()).as(state.toString()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM synced_people WHERE credential_id = ?", Long.class,
                synced)).isEqualTo(PEOPLE);
        String deep = deepCursor(synced);
        token = jwt();

        var kinds = new LinkedHashMap<String, Request>();
        kinds.put("live (the CRM stand-in)", new Request(live, "/people?limit=" + LIVE_PAGE, "live"));
        kinds.put("synced, first page", new Request(synced, "/people?limit=" + LIVE_PAGE, "synced"));
        kinds.put("synced, tag + stage + q", new Request(synced,
                "/people?limit=" + LIVE_PAGE + "&tag=Buyer&stage=Lead&q=example.com", "synced"));
        kinds.put("synced, page " + (PEOPLE / 2 / LIVE_PAGE) + " (keyset cursor)",
                new Request(synced, "/people?cursor=" + deep, "synced"));
        var latencies = new LinkedHashMap<String, List<Long>>();
        kinds.keySet().forEach(kind -> latencies.put(kind, new ArrayList<>()));
        String loadBefore = Machine.load();
        for (int i = 0; i < WARMUP + REQUESTS; i++) {
            for (var kind : kinds.entrySet()) {
                long micros = timed(kind.getValue());
                if (i >= WARMUP) {
                    latencies.get(kind.getKey()).add(micros);
                }
            }
        }
        String loadAfter = Machine.load();

        var rows = new StringBuilder();
        latencies.forEach((kind, samples) -> {
            var distribution = new Latencies();
            samples.forEach(micros -> distribution.add(micros, 1));
            rows.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s |%n", kind, samples.size(),
                    Latencies.ms(distribution.percentileMillis(50)), Latencies.ms(distribution.percentileMillis(95)),
                    Latencies.ms(distribution.percentileMillis(99))));
        });
        String report = String.format(Locale.ROOT, """
                # Universal API: synced reads against live reads

                %,d people synced; %d-person pages; %,d requests of each kind after %,d of warm-up, one client, one
                request at a time, the kinds interleaved.

                | read | requests | p50 ms | p95 ms | p99 ms |
                |---|---|---|---|---|
                %s
                Load average before: %s; after: %s.

                %s
                """, PEOPLE, LIVE_PAGE, REQUESTS, WARMUP, rows, loadBefore, loadAfter, Machine.describe());
        System.out.println(report);
        Files.writeString(Machine.reportFile("synced-reads.md"), report);
    }

    private URI syncUri(String credential) {
        return URI.create("http://127.0.0.1:" + port + "/api/v1/credentials/" + credential + "/sync");
    }

    private HttpResponse<byte[]> sync(HttpRequest.Builder request) {
        return send(request.header("Authorization", "Bearer " + jwt()).build());
    }

    private record Request(String credential, String pathAndQuery, String source) {
    }

    private long timed(Request request) {
        var http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/universal/crm"
                        + request.pathAndQuery()))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("X-Credential-Id", request.credential()).GET().build();
        long started = System.nanoTime();
        HttpResponse<byte[]> response = send(http);
        long micros = (System.nanoTime() - started) / 1_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Plugboard-Data")).hasValue(request.source());
        return micros;
    }

    /** The cursor of the page halfway through the synced people, walked to once. */
    private String deepCursor(String credential) {
        String cursor = null;
        for (int page = 0; page < PEOPLE / 2 / LIVE_PAGE; page++) {
            var response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/v1/universal/crm/people" + (cursor == null ? "?limit=" + LIVE_PAGE
                            : "?cursor=" + cursor)))
                    .header("Authorization", "Bearer " + jwt()).header("X-Credential-Id", credential).GET().build());
            cursor = json(response).path("nextCursor").asString();
        }
        return cursor;
    }

    /**
     * Page {@code n} of the people as {@code GET /v1/people} answers (the record of
     * https://docs.followupboss.com/docs/requests-and-responses with the fields of
     * https://docs.followupboss.com/reference/people-get, paging as https://docs.followupboss.com/reference/pagination
     * with the page number as the {@code next} token), each person distinct, their times of change spread.
     */
    private static String page(int n, int size) {
        var people = new ArrayList<String>();
        int first = n * size;
        for (int i = first; i < Math.min(first + size, PEOPLE); i++) {
            people.add("""
                    {"id": %d, "created": "2026-01-%02dT10:00:00Z", "updated": "2026-02-%02dT%02d:%02d:00Z",
                     "createdVia": "API", "lastActivity": "2026-02-%02dT11:30:00Z", "name": "Person %d Example",
                     "firstName": "Person", "lastName": "%d Example", "stage": "%s", "source": "Zillow",
                     "sourceUrl": null, "contacted": 0, "price": 450000, "assignedUserId": %d, "assignedTo": "Jane Agent",
                     "tags": ["%s", "Scottsdale"],
                     "emails": [{"value": "person%d@example.com", "type": "home", "status": "Valid", "isPrimary": 1}],
                     "phones": [{"value": "555-%07d", "type": "mobile", "status": "Valid", "isPrimary": 1}],
                     "addresses": [{"type": "home", "street": "%d Main St", "city": "Scottsdale", "state": "AZ",
                                    "code": "85251", "country": "United States"}]}"""
                    .formatted(1_000_000 + i, i % 28 + 1, i % 28 + 1, i % 24, i % 60, i % 28 + 1, i, i,
                            i % 3 == 0 ? "Lead" : "Active Client", i % 50, i % 2 == 0 ? "Buyer" : "Seller", i, i, i + 1));
        }
        boolean more = first + size < PEOPLE;
        return """
                {"_metadata": {"collection": "people", "offset": %d, "limit": %d, "total": %d, "next": %s},
                 "people": [%s]}""".formatted(first, size, PEOPLE, more ? "\"" + (n + 1) + "\"" : "null",
                String.join(",", people));
    }
}
