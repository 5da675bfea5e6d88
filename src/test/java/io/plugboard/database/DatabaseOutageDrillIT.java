package io.plugboard.database;

import io.plugboard.PlatformScopeForTests;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.WebhookService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The failure drill of docs/reliability.md, "Database outage": PostgreSQL crashes (immediate shutdown) under proxy,
 * credential-import (each one a committed credential, audit event and webhook event) and connect-session load,
 * stays down for ten seconds and starts again. Nothing is ever answered 500; while it is down the API answers 503;
 * after it is back every kind of request succeeds within ten seconds without a restart, the credential change feed
 * is live again, nothing acknowledged is lost, and the call log keeps every proxied call. Prints its measurements
 * as {@code DRILL} lines. Durable database (fsync on), because a crash of a throwaway one may lose its last commits.
 */
@ExtendWith(OutputCaptureExtension.class)
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=false",
        "plugboard.database.durable=true",
        "vaadin.devmode.devTools.enabled=false",
        "plugboard.connectors.allow-http=true",
        "plugboard.proxy.allow-private-addresses=true",
        "plugboard.webhooks.poll-interval=200ms",
})
class DatabaseOutageDrillIT extends ProxyTestSupport {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @Autowired
    WebhookService webhooks;

    /** One request of the load: what it was, when it was answered, how, and what it created. */
    private record Outcome(String kind, long answeredNanos, int status, @Nullable String problem, @Nullable String id,
                           long tookMs) {

        Outcome took(long startedNanos) {
            return new Outcome(kind, answeredNanos, status, problem, id, (answeredNanos - startedNanos) / 1_000_000);
        }
    }

    @Test
    void tenSecondsWithoutPostgresUnderLoad(CapturedOutput output) throws Exception {
        provider.stubFor(get(urlPathEqualTo("/api/ping")).willReturn(okJson("{\"pong\":true}")));
        provider.stubFor(post(urlPathEqualTo("/hooks")).willReturn(ok()));
        String app = apiKeyConnector("drill-keys", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        String proxied = apiKeyCredential(app, Map.of("apiKey", "k"));
        asAdmin(tenant, () -> webhooks.create(tenant.id(),
                new EndpointInput(provider.baseUrl() + "/hooks", null, List.of("credential.created"))));
        long credentialsBefore = count("credentials");
        long auditBefore = count("audit_events");
        long eventsBefore = count("webhook_events");
        long sessionsBefore = count("connect_sessions");

        var outcomes = new ConcurrentLinkedQueue<Outcome>();
        var running = new AtomicBoolean(true);
        var outage = PostgresOutage.of(context);
        long down;
        long up;
        int restartLog;
        try (var load = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                load.submit(() -> repeat(running, 200, outcomes, () -> proxyCall(proxied)));
            }
            load.submit(() -> repeat(running, 200, outcomes, () -> importCredential(app)));
            load.submit(() -> repeat(running, 200, outcomes, this::connectSession));
            Thread.sleep(3_000);
            outage.crash();
            down = System.nanoTime();
            Thread.sleep(OUTAGE);
            restartLog = output.length();
            outage.start();
            up = System.nanoTime();
            Thread.sleep(RECOVERY.plusSeconds(2));
            running.set(false);
        }
        List<Outcome> all = new ArrayList<>(outcomes);

        // Never a 500: everything is a success, or a 503 saying the database is unavailable.
        assertThat(all).filteredOn(o -> o.status() >= 300)
                .allSatisfy(o -> assertThat(o.status() + " " + o.problem()).as(o.kind()).isEqualTo("503 database-unavailable"));
        List<Outcome> whileDown = all.stream().filter(o -> o.answeredNanos() > down + 2_500_000_000L && o.answeredNanos() < up).toList();
        assertThat(whileDown).as("answered while down").isNotEmpty().allMatch(o -> o.status() == 503);

        for (String kind : List.of("proxy", "import", "connect")) {
            long firstSuccess = all.stream().filter(o -> o.kind().equals(kind) && o.answeredNanos() > up && o.status() < 300)
                    .mapToLong(Outcome::answeredNanos).min().orElseThrow(() -> new AssertionError(kind + " never recovered"));
            long recoveredMs = (firstSuccess - up) / 1_000_000;
            System.out.printf("DRILL %s: %d requests, %d answered 503 (slowest %d ms), first success %d ms after "
                            + "PostgreSQL was back%n", kind, all.stream().filter(o -> o.kind().equals(kind)).count(),
                    all.stream().filter(o -> o.kind().equals(kind) && o.status() == 503).count(),
                    all.stream().filter(o -> o.kind().equals(kind) && o.status() == 503).mapToLong(Outcome::tookMs)
                            .max().orElse(0), recoveredMs);
            assertThat(recoveredMs).as(kind + " recovered within (ms)").isLessThan(RECOVERY.toMillis());
        }
        long[] took503 = all.stream().filter(o -> o.status() == 503).mapToLong(Outcome::tookMs).sorted().toArray();
        long p90 = took503[(int) Math.ceil(took503.length * 0.9) - 1];
        System.out.printf("DRILL no answer other than 2xx and 503 among %d requests; 503 in %d ms (90th percentile), "
                + "%d ms (slowest)%n", all.size(), p90, took503[took503.length - 1]);
        // The 90th percentile: on a shared two-core machine a single request may be starved of CPU for seconds.
        assertThat(p90).as("a 503 takes the connection timeout and a little (ms)").isLessThan(3_000);

        // The change feed is live again: a revoke made elsewhere reaches this instance's cache at once.
        await().atMost(RECOVERY).until(() -> output.toString().indexOf("Credential change feed live", restartLog) >= 0);
        assertThat(call("GET", "/ping", proxied, null).statusCode()).isEqualTo(200);
        jdbc.update("UPDATE credentials SET status = 'REVOKED', secret = NULL, revoked_at = now(), revoked_by = 'elsewhere' "
                + "WHERE id = ?", proxied);
        await().atMost(Duration.ofSeconds(1)).until(() -> call("GET", "/ping", proxied, null).statusCode() == 409);

        // Nothing acknowledged is lost: credentials, their audit events, their webhook events (delivered).
        Set<String> imported = ids(all, "import");
        Set<String> sessions = ids(all, "connect");
        assertThat(countIn("credentials", "id", imported)).isEqualTo(imported.size());
        assertThat(countIn("audit_events", "target_id", imported)).as("audited").isEqualTo(imported.size());
        assertThat(countIn("connect_sessions", "id", sessions)).isEqualTo(sessions.size());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(delivered()).containsAll(imported));
        System.out.printf("DRILL committed: %d credentials (%d acknowledged), %d audit events, %d webhook events, "
                        + "%d connect sessions (%d acknowledged); all acknowledged ones found, webhooks delivered%n",
                count("credentials") - credentialsBefore, imported.size(), count("audit_events") - auditBefore,
                count("webhook_events") - eventsBefore, count("connect_sessions") - sessionsBefore, sessions.size());

        // The call log: every proxied call answered 200 has its row once the writer has flushed.
        callLog.flush();
        Set<String> proxiedOk = ids(all, "proxy");
        long logged = countIn("proxy_calls", "request_id", proxiedOk);
        System.out.printf("DRILL call log: %d proxied calls answered 200, %d rows written, %d lost%n",
                proxiedOk.size(), logged, proxiedOk.size() - logged);
        assertThat(logged).isEqualTo(proxiedOk.size());
    }

    private static void repeat(AtomicBoolean running, long pauseMs, ConcurrentLinkedQueue<Outcome> outcomes,
                               Supplier<Outcome> request) {
        while (running.get()) {
            long started = System.nanoTime();
            outcomes.add(request.get().took(started));
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Outcome proxyCall(String credentialId) {
        var response = call("GET", "/ping", credentialId, null);
        return outcome("proxy", response.statusCode(), response.body(),
                response.headers().firstValue("X-Plugboard-Request-Id").orElse(null));
    }

    private Outcome importCredential(String app) {
        var response = api("POST", "/api/v1/credentials", """
                {"appKey":"%s","endUserId":"drill-%s","fields":{"apiKey":"k"}}""".formatted(app, UUID.randomUUID()));
        return outcome("import", response.statusCode(), response.body(), null);
    }

    private Outcome connectSession() {
        var response = api("POST", "/api/v1/connect-sessions", """
                {"endUser":{"id":"drill-%s"}}""".formatted(UUID.randomUUID()));
        return outcome("connect", response.statusCode(), response.body(), null);
    }

    private HttpResponse<byte[]> api(String method, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + jwt()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** The problem type of an error, and for a success the id it created (or the proxied call's request id). */
    private static Outcome outcome(String kind, int status, byte[] body, @Nullable String requestId) {
        long at = System.nanoTime();
        if (status >= 300) {
            String type = null;
            try {
                type = JSON.readTree(new String(body, StandardCharsets.UTF_8)).path("type").asString("");
                type = type.substring(type.lastIndexOf('/') + 1);
            } catch (RuntimeException notJson) {
                type = "not problem+json: " + new String(body, StandardCharsets.UTF_8);
            }
            return new Outcome(kind, at, status, type, null, 0);
        }
        if (requestId != null) {
            return new Outcome(kind, at, status, null, requestId, 0);
        }
        JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        String id = json.has("sessionId") ? json.path("sessionId").asString() : json.path("id").asString();
        return new Outcome(kind, at, status, null, id, 0);
    }

    private static Set<String> ids(List<Outcome> all, String kind) {
        Set<String> ids = new HashSet<>();
        all.stream().filter(o -> o.kind().equals(kind) && o.status() < 300 && o.id() != null).forEach(o -> ids.add(o.id()));
        return ids;
    }

    private Set<String> delivered() {
        Set<String> ids = new HashSet<>();
        provider.findAll(postRequestedFor(urlPathEqualTo("/hooks"))).forEach(request -> ids.add(
                JSON.readTree(request.getBodyAsString()).path("data").path("credentialId").asString()));
        return ids;
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    private long countIn(String table, String column, Set<String> values) {
        return jdbc.queryForObject("SELECT count(DISTINCT " + column + ") FROM " + table + " WHERE " + column
                + "::text = ANY(?)", Long.class, (Object) values.toArray(String[]::new));
    }
}
