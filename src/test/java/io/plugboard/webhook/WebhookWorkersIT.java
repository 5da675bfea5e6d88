package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.credential.CredentialChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Several workers on one database: each event is delivered once in the normal case, in order per credential,
 * and a worker that dies with deliveries claimed loses none of them (another takes over when the lease ends).
 * The workers here are extra dispatchers in this JVM on the shared database; the application's own worker is
 * paused so that only they compete.
 */
@PlugboardTest
class WebhookWorkersIT extends WebhookTestSupport {

    @Autowired
    WebhookStore store;
    @Autowired
    SigningSecrets secrets;
    @Autowired
    WebhookSender sender;
    @Autowired
    DeliveryRecorder recorder;
    @Autowired
    WebhookProperties properties;
    @Autowired
    Clock clock;

    private final List<WebhookDispatcher> extra = new ArrayList<>();

    @AfterEach
    void stopExtraWorkersAndResumeTheApplications() {
        extra.forEach(WebhookDispatcher::stop);
        extra.clear();
        dispatcher.start();
    }

    @Test
    void threeWorkersDeliverEveryEventExactlyOnceAndInOrderPerCredential() {
        dispatcher.stop();
        IssuedSecret endpoint = endpoint("/workers/many");
        // A receiver that takes a moment, so that every worker's slots fill up and all of them take part.
        receiver.stubFor(post(urlEqualTo("/workers/many")).willReturn(aResponse().withStatus(200).withFixedDelay(30)));
        List<String> ids = new ArrayList<>();
        String prefix = uniqueUser();
        for (int i = 0; i < 40; i++) {
            String id = credential(tenant, prefix + "-" + i, Map.of());
            asAdmin(() -> credentials.update(tenant.id(), id, new CredentialChange("first", null)));
            asAdmin(() -> credentials.update(tenant.id(), id, new CredentialChange("second", null)));
            asAdmin(() -> credentials.revoke(tenant.id(), id));
            ids.add(id);
        }
        assertThat(received("/workers/many")).as("nobody delivers while the workers are stopped").isEmpty();

        for (int i = 0; i < 3; i++) {
            // Up to every slot of all three on the one endpoint, so that each worker takes part.
            extra.add(worker(8, 24));
        }
        extra.forEach(WebhookDispatcher::start);
        eventually().atMost(Duration.ofSeconds(60)).until(() -> received("/workers/many").size() >= 160);
        eventually().until(() -> pending(endpoint) == 0);

        var received = received("/workers/many").stream().map(WebhookTestSupport::json).toList();
        Map<String, Long> perEvent = received.stream().collect(Collectors.groupingBy(j -> j.get("id").asString(),
                Collectors.counting()));
        assertThat(perEvent).hasSize(160).allSatisfy((event, times) -> assertThat(times).as(event).isEqualTo(1L));
        for (String id : ids) {
            List<String> arrived = received.stream().filter(j -> id.equals(j.get("data").get("credentialId").asString()))
                    .map(j -> j.get("id").asString()).toList();
            List<String> committed = jdbc.queryForList("""
                    SELECT d.event_id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                    WHERE d.endpoint_id = ? AND e.payload::jsonb -> 'data' ->> 'credentialId' = ? ORDER BY d.id""",
                    String.class, endpoint.endpoint().id(), id);
            assertThat(arrived).as(id).hasSize(4).isEqualTo(committed);
        }
        assertThat(extra).as("all three workers took part").allSatisfy(w -> assertThat(w.attempted()).isPositive());
        assertThat(jdbc.queryForObject("SELECT max(attempts) FROM webhook_deliveries WHERE endpoint_id = ?",
                Integer.class, endpoint.endpoint().id())).isEqualTo(1);
    }

    @Test
    void aSlowEndpointsBacklogDoesNotHoldUpAnotherTenantsDeliveries() {
        dispatcher.stop();
        IssuedSecret slow = endpoint("/workers/slow");
        receiver.stubFor(post(urlEqualTo("/workers/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
        String prefix = uniqueUser();
        for (int i = 0; i < 40; i++) {
            credential(tenant, prefix + "-" + i, Map.of());
        }
        var other = newTenant("wh-other");
        endpoint(other, "/workers/other");
        credential(other, uniqueUser(), Map.of());

        WebhookDispatcher worker = worker(8, 4);
        extra.add(worker);
        worker.start();

        // The 40 older deliveries to the slow receiver would fill every slot for 10 s; the other tenant's one goes
        // out beside them.
        try {
            eventually().atMost(Duration.ofSeconds(3)).until(() -> received("/workers/other").size() == 1);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("received " + received("/workers/other").size() + "; " + jdbc.queryForList(
                    "SELECT endpoint_id, status, next_attempt_at, lease_until, attempts, last_error FROM webhook_deliveries "
                    + "WHERE tenant_id = ?", other.id()) + " endpoints " + jdbc.queryForList(
                    "SELECT id, enabled, url FROM webhook_endpoints WHERE tenant_id = ?", other.id()), e);
        }
        assertThat(pending(slow)).as("the slow receiver's backlog is still being worked off").isGreaterThan(20);
        Integer inFlight = jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? "
                + "AND status = 'PENDING' AND lease_until > now()", Integer.class, slow.endpoint().id());
        assertThat(inFlight).isLessThanOrEqualTo(4);
    }

    @Test
    void deliveriesClaimedByAWorkerThatDiedAreTakenOverWhenTheLeaseEnds() throws InterruptedException {
        dispatcher.stop();
        IssuedSecret endpoint = endpoint("/workers/orphaned");
        for (int i = 0; i < 5; i++) {
            credential(uniqueUser());
        }
        // The "dead" worker: it claimed everything due, with a short lease, and never sent nor recorded anything.
        Instant now = clock.instant();
        List<WebhookStore.Claimed> orphaned = store.claim(10_000, 10_000, now, now.plusSeconds(3), UUID.randomUUID()).stream()
                .filter(c -> c.endpointId().equals(endpoint.endpoint().id())).toList();
        assertThat(orphaned).hasSize(5);

        WebhookDispatcher survivor = worker(8);
        extra.add(survivor);
        survivor.start();
        Thread.sleep(1_000);
        assertThat(received("/workers/orphaned")).as("a live lease is respected").isEmpty();

        eventually().until(() -> received("/workers/orphaned").size() == 5);
        eventually().until(() -> pending(endpoint) == 0);
        assertThat(received("/workers/orphaned").stream().map(r -> r.getHeader("Plugboard-Event-Id")).distinct()).hasSize(5);
        // Should the dead worker wake up and report late, its outcome no longer counts.
        assertThat(store.recordDelivered(orphaned.getFirst(), 200, null, clock.instant())).isFalse();
        assertThat(jdbc.queryForList("SELECT attempts FROM webhook_deliveries WHERE endpoint_id = ?", Integer.class,
                endpoint.endpoint().id())).containsOnly(1);
    }

    @Test
    void changesDeliveriesAndEndpointEditsRunSideBySideWithoutDeadlocks() throws Exception {
        IssuedSecret endpoint = endpoint("/workers/busy");
        IssuedSecret second = endpoint("/workers/busy-too");
        // Every other answer fails: retries, health changes and successes all write while credentials change.
        receiver.stubFor(post(urlEqualTo("/workers/busy")).willReturn(aResponse().withStatus(500)));
        var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(5)) {
            for (int t = 0; t < 4; t++) {
                threads.submit(() -> {
                    try {
                        for (int i = 0; i < 15; i++) {
                            String id = credential(uniqueUser());
                            asAdmin(() -> credentials.update(tenant.id(), id, new CredentialChange("x", null)));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
            }
            threads.submit(() -> {
                try {
                    while (!done.get()) {
                        asAdmin(() -> webhooks.rotateSecret(tenant.id(), second.endpoint().id()));
                        asAdmin(() -> webhooks.update(tenant.id(), second.endpoint().id(), new EndpointInput(
                                receiver.baseUrl() + "/workers/busy-too", "edited", WebhookEventType.wireNames())));
                        asAdmin(() -> webhooks.setEnabled(tenant.id(), second.endpoint().id(), false));
                        asAdmin(() -> webhooks.setEnabled(tenant.id(), second.endpoint().id(), true));
                        asAdmin(() -> webhooks.sendTest(tenant.id(), endpoint.endpoint().id()));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            Thread.sleep(100);
            eventually().atMost(Duration.ofSeconds(90)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM credentials WHERE tenant_id = ? AND label = 'x'", Long.class, tenant.id()) >= 60
                    || !failures.isEmpty());
            done.set(true);
        }
        assertThat(failures).isEmpty();
        // A delivery whose outcome could not be recorded waits for its lease to end (timeouts + 30 s) before
        // another attempt: the wait covers that, and says what was still pending if even that was not enough.
        try {
            eventually().atMost(Duration.ofSeconds(75)).until(() -> pending(second) == 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("still pending: " + jdbc.queryForList("""
                    SELECT id, event_type, attempts, last_error, next_attempt_at, lease_until, ordering_key
                    FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'PENDING' ORDER BY id LIMIT 20""",
                    second.endpoint().id()), e);
        }
    }

    private WebhookDispatcher worker(int concurrency) {
        return worker(concurrency, properties.perEndpointConcurrency());
    }

    private WebhookDispatcher worker(int concurrency, int perEndpoint) {
        var own = new WebhookProperties(properties.connectTimeout(), properties.timeout(), properties.maxAge(),
                properties.initialBackoff(), properties.maxBackoff(), properties.secretOverlap(),
                properties.unhealthyAfter(), concurrency, perEndpoint, Duration.ofMillis(200), true,
                properties.deliveredRetention(), properties.failedRetention());
        return new WebhookDispatcher(store, secrets, sender, recorder, own, clock);
    }

    private long pending(IssuedSecret endpoint) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'PENDING'",
                Long.class, endpoint.endpoint().id());
        return count == null ? 0 : count;
    }
}
