package io.plugboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.audit.AuditExportVerifier;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A SIEM pulls a tenant's audit trail: in chain order after a cursor, never skipping or repeating an event while
 * others are being written, with the portal's filters, only the tenant's own events, and each event with the
 * fields its hash covers, so the pulled events pass {@code audit-verify}.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditApiIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    AuditLog audit;
    @LocalServerPort
    int port;

    private TestApi api;
    private TestTenant tenant;
    private TestTenant other;
    private String token;

    @BeforeAll
    void tenants() {
        api = new TestApi(port);
        tenant = TestTenants.create(context, "audit-api");
        other = TestTenants.create(context, "audit-api-other");
        token = TestApi.token(tenant, "tenant");
    }

    @Test
    void pollingWithTheCursorReturnsEveryNewEventOnceInChainOrderWhileEventsAreWritten() throws Exception {
        var pulled = new ArrayList<JsonNode>();
        String cursor = drain(pulled, null);
        int before = pulled.size();
        List<String> written = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            var futures = new ArrayList<Future<List<String>>>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                futures.add(writers.submit(() -> {
                    var mine = new ArrayList<String>();
                    for (int i = 0; i < 60; i++) {
                        String id = "w" + writer + "-" + i;
                        audit.record(AuditRecord.of("siem.test.written", tenant.id()).target("thing", id));
                        audit.record(AuditRecord.of("siem.test.written", other.id()).target("thing", id));
                        mine.add(id);
                    }
                    return mine;
                }));
            }
            // Polls overlap the writers: each one sees whatever has been sealed so far.
            while (futures.stream().anyMatch(f -> !f.isDone())) {
                cursor = poll(pulled, cursor, 7);
            }
            for (var future : futures) {
                written.addAll(future.get());
            }
        } finally {
            writers.shutdownNow();
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (targets(pulled, "siem.test.written").size() < written.size() && System.currentTimeMillis() < deadline) {
            cursor = drain(pulled, cursor);
            Thread.sleep(100);
        }

        assertThat(targets(pulled, "siem.test.written")).as("each written event exactly once")
                .hasSize(written.size()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(pulled.stream().map(e -> e.path("seq").asLong()).toList()).as("no event twice").doesNotHaveDuplicates();
        List<Long> positions = pulled.stream().map(e -> e.path("chainIndex").asLong()).toList();
        assertThat(positions).as("chain order").isSorted();
        assertThat(pulled).allSatisfy(e -> assertThat(e.path("tenantId").asString()).isEqualTo(tenant.id().toString()));
        assertThat(pulled.size()).isGreaterThan(before);

        var empty = api.get("/api/v1/audit/events?cursor=" + cursor, token);
        assertThat(empty.json().path("items").size()).isZero();
        assertThat(empty.json().path("nextCursor").asString()).as("stays where it was").isEqualTo(cursor);
    }

    @Test
    void pulledEventsCarryTheirChainFieldsAndPassTheOfflineVerifier(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 3; i++) {
            audit.record(AuditRecord.of("siem.test.verified", tenant.id()).target("thing", "v" + i).detail("n", i));
        }
        var pulled = new ArrayList<JsonNode>();
        drain(pulled, null);
        JsonNode last = pulled.getLast();
        assertThat(last.path("hash").asString()).matches("[0-9a-f]{64}");
        assertThat(last.path("prevHash").asString()).matches("[0-9a-f]{64}");
        assertThat(last.path("details").asString()).isEqualTo("{\"n\":2}");

        Path file = dir.resolve("pulled.jsonl");
        Files.write(file, pulled.stream().map(TestApi::json).toList());
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = AuditExportVerifier.run(new String[] {file.toString()}, keyFile -> {
            throw new IOException("no checkpoints given");
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).as(out + " " + err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Intact: " + pulled.size() + " events match");
    }

    @Test
    void theFiltersOfThePortalsAuditLogApply() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        audit.record(AuditRecord.of("siem.filter.alpha", tenant.id()).target("gadget", "g-1"));
        audit.record(AuditRecord.of("siem.filter.beta", tenant.id()).target("widget", "w-1"));
        var created = api.post("/api/v1/webhooks", token, TestApi.json(Map.of("url", "http://127.0.0.1:9/siem",
                "eventTypes", List.of("credential.created"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        api.delete("/api/v1/webhooks/" + created.json().path("endpoint").path("id").asString(), token);

        assertThat(actions("action=siem.filter")).containsExactly("siem.filter.alpha", "siem.filter.beta");
        assertThat(actions("action=siem.filter&target=widget")).containsExactly("siem.filter.beta");
        assertThat(actions("target=g-1")).containsExactly("siem.filter.alpha");
        assertThat(actions("actor=" + tenant.clientId())).as("the API client as actor")
                .containsExactly("webhook.endpoint.created", "webhook.endpoint.deleted");
        assertThat(actions("action=siem.filter&from=" + start)).containsExactly("siem.filter.alpha", "siem.filter.beta");
        assertThat(actions("action=siem.filter&to=" + start.minusSeconds(3600))).isEmpty();
        assertThat(actions("action=siem.filter&from=" + Instant.now().plusSeconds(3600))).isEmpty();
    }

    @Test
    void anotherTenantsEventsNeverAppear() {
        audit.record(AuditRecord.of("siem.isolation.theirs", other.id()).target("thing", "secret-plan"));
        audit.record(AuditRecord.of("siem.isolation.platform", null).target("thing", "platform-plan"));
        audit.record(AuditRecord.of("siem.isolation.mine", tenant.id()).target("thing", "my-plan"));

        var pulled = new ArrayList<JsonNode>();
        drain(pulled, null);
        assertThat(pulled).isNotEmpty().allSatisfy(e ->
                assertThat(e.path("tenantId").asString()).isEqualTo(tenant.id().toString()));
        assertThat(pulled).extracting(e -> e.path("action").asString()).contains("siem.isolation.mine")
                .doesNotContain("siem.isolation.theirs", "siem.isolation.platform");
        assertThat(actions("action=siem.isolation.theirs")).isEmpty();
    }

    @Test
    void badInputIsAProblem() {
        for (String query : List.of("limit=0", "limit=1001", "limit=x", "cursor=abc", "cursor=-1", "from=yesterday",
                "to=2026-13-01T00:00:00Z", "from=%2B99999-01-01T00:00:00Z", "action=a%00b")) {
            var response = api.get("/api/v1/audit/events?" + query, token);
            assertThat(response.status()).as(query + " " + response).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.get("/api/v1/audit/events?limit=1000", token).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    /** One poll; adds what it returned and answers the cursor for the next. */
    private String poll(List<JsonNode> into, String cursor, int limit) {
        var response = api.get("/api/v1/audit/events?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor), token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        response.json().path("items").forEach(into::add);
        String next = response.json().path("nextCursor").asString();
        assertThat(next).as("always present").isNotEmpty();
        return next;
    }

    /** Polls until a poll returns nothing new. */
    private String drain(List<JsonNode> into, String cursor) {
        String next = cursor;
        int size;
        do {
            size = into.size();
            next = poll(into, next, 1000);
        } while (into.size() > size);
        return next;
    }

    private List<String> actions(String query) {
        var response = api.get("/api/v1/audit/events?limit=1000&" + query, token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().path("items").valueStream().map(e -> e.path("action").asString()).toList();
    }

    private static List<String> targets(List<JsonNode> events, String action) {
        return events.stream().filter(e -> e.path("action").asString().equals(action))
                .map(e -> e.path("targetId").asString()).toList();
    }
}
