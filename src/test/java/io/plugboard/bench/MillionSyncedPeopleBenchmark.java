package io.plugboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.plugboard.PlugboardTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.security.TenantScope;
import io.plugboard.sync.SyncedReads;
import io.plugboard.tenant.TestTenants;
import io.plugboard.universal.PeopleQuery;
import io.plugboard.universal.UniversalCrm;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Universal {@code GET /people} answered from a million synced people: one credential of one tenant holds
 * {@code bench.people} (default 1,000,000) synced people, another tenant's credential {@code bench.others}
 * (default 200,000) more in the same table, so row-level security and the tenant in every index matter. The rows
 * are generated in PostgreSQL ({@code generate_series}), then ANALYZEd; the model's state says its first backfill
 * is complete, so the store answers. Each kind of read (no filter, each filter, both orders, a deep keyset page)
 * and the live path's reference (a Follow Up Boss stand-in answering from memory on the loopback) are timed over
 * HTTP, one client, one request at a time, the kinds interleaved so that the machine's load falls on all alike.
 * Each read's statement, as the application sends it, is run once more under {@code EXPLAIN (ANALYZE, BUFFERS)}
 * and its scans are reported.
 *
 * <p>Prints and writes {@code target/benchmarks/million-synced-people.md}; asserts nothing about time. Run: see
 * docs/benchmarks.md.
 */
@Tag("benchmark")
@PlugboardTest
@Import(SqlCapture.class)
class MillionSyncedPeopleBenchmark extends ProxyTestSupport {

    private static final int PEOPLE = Integer.getInteger("bench.people", 1_000_000);
    private static final int OTHERS = Integer.getInteger("bench.others", 200_000);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 300);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 50);
    private static final int PAGE = 25;
    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");

    @Autowired
    SyncedReads reads;
    @Autowired
    EmbeddedPostgres postgres;

    private HttpServer upstream;
    private String token;

    @AfterAll
    void stopUpstream() {
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Test
    void peopleFromAMillionSyncedRecords() throws Exception {
        String appKey = connector(standIn());
        String synced = apiKeyCredential(appKey, Map.of("apiKey", "bench-key"));
        String live = apiKeyCredential(appKey, Map.of("apiKey", "bench-key"));
        var other = TestTenants.create(context, "storeother");
        String otherAppKey = connector(other, standIn());
        String otherCredential = credential(other, otherAppKey, "user-" + UUID.randomUUID(),
                Map.of("apiKey", "bench-key"), null);

        long started = System.nanoTime();
        load(tenant.id(), synced, PEOPLE, 0);
        load(other.id(), otherCredential, OTHERS, PEOPLE);
        markBackfilled(tenant.id(), synced);
        // As the tables' owner: the runtime role may not VACUUM or ANALYZE them (autovacuum would, in time).
        new JdbcTemplate(postgres.getDatabase("plugboard_owner", "postgres")).execute("VACUUM (ANALYZE) synced_people");
        long loadSeconds = (System.nanoTime() - started) / 1_000_000_000;
        String size = jdbc.queryForObject("SELECT pg_size_pretty(pg_total_relation_size('synced_people'))",
                String.class);
        token = jwt();

        // One surname of the hundred (1 % of the people), one person's phone digits, the newest week's changes.
        String since = Instant.now().minus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        String phoneDigits = "555" + String.format("%07d", PEOPLE / 3);
        var kinds = new LinkedHashMap<String, Request>();
        kinds.put("live (the CRM stand-in)", new Request(live, "/people?limit=" + PAGE, "live", null));
        kinds.put("no filter (newest first)", storeRead(synced, "", null));
        kinds.put("sort=updatedAt (oldest first)", storeRead(synced, "&sort=updatedAt", null));
        kinds.put("tag (5 %)", storeRead(synced, "&tag=Tag%207", null));
        kinds.put("stage (1 in 6)", storeRead(synced, "&stage=Lead", null));
        kinds.put("assignedUserId (2 %)", storeRead(synced, "&assignedUserId=17", null));
        kinds.put("q, a surname (1 %)", storeRead(synced, "&q=hartwood", null));
        kinds.put("q, a phone's digits (one person)", storeRead(synced, "&q=" + phoneDigits, null));
        kinds.put("updatedSince (the last week)", storeRead(synced,
                "&updatedSince=" + URLEncoder.encode(since, StandardCharsets.UTF_8), null));
        // Each person's first tag is Tag (id mod 20): with owner 17 (id mod 50 = 16) and Lead (id mod 6 = 0), 1 in 300.
        kinds.put("tag + stage + assignedUserId (1 in 300)",
                storeRead(synced, "&tag=Tag%206&stage=Lead&assignedUserId=17", null));
        String deep = deepCursor(synced);
        kinds.put("a deep page (keyset cursor, half-way)", storeRead(synced, "", deep));

        var plans = new LinkedHashMap<String, String>();
        kinds.forEach((kind, request) -> {
            if (request.source().equals("synced")) {
                plans.put(kind, plan(request, synced));
            }
        });

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
            rows.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", kind,
                    Latencies.ms(distribution.percentileMillis(50)), Latencies.ms(distribution.percentileMillis(95)),
                    Latencies.ms(distribution.percentileMillis(99)), plans.getOrDefault(kind, "—")));
        });
        String report = String.format(Locale.ROOT, """
                # Universal API: GET /people from a million synced people

                %,d people synced for one credential, %,d of another tenant's in the same table (%s with its
                indexes), generated and analyzed in %d s. %d-person pages; %,d requests of each kind after %,d of
                warm-up, one client, one request at a time, the kinds interleaved.

                | read | p50 ms | p95 ms | p99 ms | plan (EXPLAIN ANALYZE of the statement sent) |
                |---|---|---|---|---|
                %s
                Load average before: %s; after: %s.

                %s
                """, PEOPLE, OTHERS, size, loadSeconds, PAGE, REQUESTS, WARMUP, rows, loadBefore, loadAfter,
                Machine.describe());
        System.out.println(report);
        Files.writeString(Machine.reportFile("million-synced-people.md"), report);
    }

    private static Request storeRead(String credential, String filters, @Nullable String cursor) {
        return new Request(credential, cursor == null ? "/people?limit=" + PAGE + filters : "/people?cursor=" + cursor,
                "synced", cursor);
    }

    /**
     * {@code count} people for the credential, generated in one statement: a hundred surnames, forty first names,
     * two of forty tags, six stages, fifty owners, times of change spread over a year and shuffled against the ids.
     * What the worker writes for a person (columns, {@code search}, a CRM record as {@code original}).
     */
    private void load(UUID tenantId, String credential, int count, int firstId) {
        jdbc.update("""
                INSERT INTO synced_people (tenant_id, credential_id, provider_id, first_name, last_name, name, emails,
                    phones, addresses, tags, stage, source, assigned_user_id, search, created_at, updated_at,
                    original, synced_at)
                SELECT ?, ?, id::text, f, l, f || ' ' || l,
                       jsonb_build_array(jsonb_build_object('value', email, 'type', 'home', 'isPrimary', true)),
                       jsonb_build_array(jsonb_build_object('value', phone, 'type', 'mobile', 'isPrimary', true)),
                       jsonb_build_array(jsonb_build_object('type', 'home', 'street', i || ' Main St',
                           'city', 'Scottsdale', 'state', 'AZ', 'postalCode', '85251', 'country', 'United States')),
                       jsonb_build_array('Tag ' || (i % 20), 'Tag ' || (20 + i * 7 % 20)),
                       (ARRAY['Lead', 'Prospect', 'Active Client', 'Past Client', 'Sphere', 'Trash'])[i % 6 + 1],
                       'Zillow', (i % 50 + 1)::text,
                       lower(f || ' ' || l) || ' ' || email || ' ' || phone || ' ' || replace(phone, '-', ''),
                       updated - interval '30 days', updated,
                       jsonb_build_object('id', id, 'name', f || ' ' || l, 'firstName', f, 'lastName', l,
                           'stage', (ARRAY['Lead', 'Prospect', 'Active Client', 'Past Client', 'Sphere', 'Trash'])[i % 6 + 1],
                           'source', 'Zillow', 'price', 450000, 'assignedUserId', i % 50 + 1,
                           'emails', jsonb_build_array(jsonb_build_object('value', email, 'type', 'home')),
                           'phones', jsonb_build_array(jsonb_build_object('value', phone, 'type', 'mobile')),
                           'updated', updated),
                       now()
                FROM generate_series(1, ?) i
                CROSS JOIN LATERAL (SELECT ? + i AS id,
                    (ARRAY['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William',
                           'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah',
                           'Charles', 'Karen', 'Chris', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony',
                           'Margaret', 'Mark', 'Sandra', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily',
                           'Andrew', 'Donna', 'Joshua', 'Michelle'])[i % 40 + 1] AS f,
                    (ARRAY['Ander', 'Bright', 'Carl', 'Dunn', 'Ell', 'Fair', 'Gold', 'Hart', 'Ives', 'Jen'])[i / 40 % 10 + 1]
                    || (ARRAY['son', 'wood', 'ley', 'ton', 'field', 'berg', 'well', 'ford', 'man', 'ridge'])[i / 400 % 10 + 1] AS l,
                    '555-' || lpad(i::text, 7, '0') AS phone,
                    now() - (i::bigint * 7919 % 1000003) * interval '31 seconds' AS updated) g
                CROSS JOIN LATERAL (SELECT lower(f) || '.' || lower(l) || i || '@example.com' AS email) e""",
                tenantId, credential, count, firstId);
    }

    private void markBackfilled(UUID tenantId, String credential) {
        jdbc.update("""
                INSERT INTO sync_states (tenant_id, credential_id, model, enabled, frequency_minutes, phase, records,
                                         last_run_at, last_success_at, high_water_mark, next_run_at, created_at,
                                         updated_at)
                VALUES (?, ?, 'people', true, 1440, 'INCREMENTAL', ?, now(), now(), now(), now() + interval '1 day',
                        now(), now())""", tenantId, credential, PEOPLE);
    }

    private String standIn() throws Exception {
        upstream = upstream != null ? upstream : startUpstream();
        return """
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
                """.formatted(upstream.getAddress().getPort());
    }

    /** Follow Up Boss's {@code GET /v1/people} page as SyncedReadBenchmark's stand-in answers it, from memory. */
    private static HttpServer startUpstream() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        var people = new ArrayList<String>();
        for (int i = 0; i < PAGE; i++) {
            people.add("""
                    {"id": %d, "created": "2026-01-%02dT10:00:00Z", "updated": "2026-02-%02dT10:00:00Z",
                     "name": "Person %d Example", "firstName": "Person", "lastName": "%d Example", "stage": "Lead",
                     "source": "Zillow", "assignedUserId": %d, "tags": ["Buyer", "Scottsdale"],
                     "emails": [{"value": "person%d@example.com", "type": "home", "isPrimary": 1}],
                     "phones": [{"value": "555-%07d", "type": "mobile", "isPrimary": 1}],
                     "addresses": [{"type": "home", "street": "%d Main St", "city": "Scottsdale", "state": "AZ",
                                    "code": "85251", "country": "United States"}]}"""
                    .formatted(1_000_000 + i, i + 1, i + 1, i, i, i % 50, i, i, i + 1));
        }
        byte[] body = """
                {"_metadata": {"collection": "people", "offset": 0, "limit": %d, "total": %d, "next": "1"},
                 "people": [%s]}""".formatted(PAGE, PEOPLE, String.join(",", people)).getBytes(StandardCharsets.UTF_8);
        server.createContext("/v1/people", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private record Request(String credential, String pathAndQuery, String source, @Nullable String cursor) {
    }

    private long timed(Request request) {
        var http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/universal/crm"
                        + request.pathAndQuery()))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("X-Credential-Id", request.credential()).GET().build();
        long started = System.nanoTime();
        HttpResponse<byte[]> response = send(http);
        long micros = (System.nanoTime() - started) / 1_000;
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Plugboard-Data")).hasValue(request.source());
        return micros;
    }

    /**
     * The cursor a client holds after paging half-way through the people, newest first: the store's cursor (its
     * query and the last record's position) for the record in the middle, so that the benchmark need not walk
     * 20,000 pages to it.
     */
    private String deepCursor(String credential) {
        var middle = jdbc.queryForMap("""
                SELECT provider_id, updated_at FROM synced_people WHERE credential_id = ? AND deleted_at IS NULL
                ORDER BY updated_at DESC, provider_id OFFSET ? LIMIT 1""", credential, PEOPLE / 2);
        Instant at = ((java.sql.Timestamp) middle.get("updated_at")).toInstant();
        String cursor = """
                {"model": "people", "cred": "%s", "filters": {}, "limit": %d, "sort": "-updatedAt",
                 "after": {"updatedAt": "%s", "id": "%s"}}""".formatted(credential, PAGE, at, middle.get("provider_id"));
        return "s1." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }

    /** The statement the application sends for the read, run once more under EXPLAIN (ANALYZE, BUFFERS). */
    private String plan(Request request, String credential) {
        var query = URI.create("http://x" + request.pathAndQuery()).getRawQuery();
        var params = new LinkedHashMap<String, String>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        Supplier<Object> read = () -> TenantScope.tenant(tenant.id(), () -> reads.people(
                new UniversalCrm.Caller(tenant.id(), credential, "api:bench"),
                new PeopleQuery(params.containsKey("limit") ? Integer.valueOf(params.get("limit")) : null,
                        params.get("cursor"), params.containsKey("updatedSince")
                        ? Instant.parse(params.get("updatedSince")) : null, null, null, params.get("q")),
                new SyncedReads.StoreFilters(params.get("tag"), params.get("stage"), params.get("assignedUserId"),
                        params.get("sort")), false));
        // The tenant scope's own set_config goes only to a connection that served another scope before.
        var statements = SqlCapture.capture(read).stream()
                .filter(s -> !s.sql().startsWith("SELECT set_config")).toList();
        assertThat(statements).as("one statement per read").hasSize(1);
        List<String> plan = TenantScope.tenant(tenant.id(),
                () -> SqlCapture.run(jdbc, "EXPLAIN (ANALYZE, BUFFERS) ", statements.getFirst()));
        System.out.println(request.pathAndQuery() + "\n  " + String.join("\n  ", plan));
        String scans = plan.stream().filter(l -> l.contains("Scan") && l.contains("synced_people"))
                .map(l -> l.strip().replaceAll("^->\\s*", "").replaceAll("\\s+\\(cost.*", "")
                        .replaceAll(" on synced_people", "")).distinct().reduce((a, b) -> a + "; " + b).orElse("?");
        String time = plan.stream().map(EXECUTION::matcher).filter(Matcher::find).map(m -> m.group(1) + " ms")
                .findFirst().orElse("?");
        return scans + " (" + time + ")";
    }
}
