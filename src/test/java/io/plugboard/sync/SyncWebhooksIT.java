package io.plugboard.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.security.TenantScope;
import io.plugboard.webhook.EndpointInput;
import io.plugboard.webhook.IssuedSecret;
import io.plugboard.webhook.WebhookService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a sync tells a tenant's webhook endpoint: {@code records.changed} with the CRM ids created, updated and
 * deleted (in parts above 500 ids), {@code sync.failed} once per streak of failures and {@code sync.recovered} once
 * after it, each signed and delivered by the application's own webhook worker to a WireMock receiver. The CRM is
 * Follow Up Boss stood in for by WireMock answering what its documentation shows (the stub files under
 * {@code universal/followupboss/} name their pages: https://docs.followupboss.com/reference/pagination,
 * https://docs.followupboss.com/reference/people-get).
 */
@PlugboardTest
class SyncWebhooksIT extends ProxyTestSupport {

    private static final String PAGE_2 = "eyJzaW5jZUlkIjoxMDV9";
    private static final String PAGE_3 = "eyJzaW5jZUlkIjoxMDN9";
    private static final List<String> SYNC_EVENTS = List.of("records.changed", "sync.failed", "sync.recovered");

    @Autowired
    SyncWorker worker;
    @Autowired
    SyncRunner runner;
    @Autowired
    WebhookService webhooks;

    private WireMockServer receiver;
    private String appKey;

    @BeforeAll
    void connectFollowUpBossAndStartReceiver() {
        appKey = connector("""
                appKey: fub-standin
                name: Follow Up Boss (stand-in)
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s/v1
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(provider.baseUrl()));
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
    }

    /** The class's endpoints go with it, so no retry towards a stopped receiver outlives it. */
    @AfterAll
    void removeEndpointsAndStopReceiver() {
        TenantScope.tenant(tenant.id(), () -> jdbc.update("DELETE FROM webhook_endpoints WHERE tenant_id = ?",
                tenant.id()));
        receiver.stop();
    }

    @BeforeEach
    void receiverAccepts() {
        receiver.resetAll();
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterEach
    void stopSyncs() {
        jdbc.update("UPDATE sync_states SET enabled = false, lease_owner = NULL, lease_until = NULL "
                + "WHERE tenant_id = ?", tenant.id());
    }

    @Test
    void eachSavedPageReportsWhatItCreatedAndAFullPassWhatChangedOrWasDeletedSigned() {
        IssuedSecret endpoint = endpoint("/hooks/changes");
        String endUser = "agent-" + UUID.randomUUID();
        String credential = syncedCredential(endUser, "people");
        stubPeople(null, 1, ok(stub("people-page-1.json")));
        stubPeople(PAGE_2, 2, ok(stub("people-page-2.json")));
        stubPeople(PAGE_3, 3, ok(stub("people-page-3.json")));

        runDue();

        List<JsonNode> backfill = events("/hooks/changes", credential, 3);
        assertThat(backfill).extracting(e -> e.path("type").asString()).containsOnly("records.changed");
        assertThat(backfill).extracting(e -> ids(e.path("data"), "created"))
                .containsExactly(List.of("950", "949"), List.of("948", "947"), List.of("946"));
        JsonNode first = backfill.getFirst();
        assertThat(first.path("tenant").asString()).isEqualTo(tenant.id().toString());
        JsonNode data = first.path("data");
        assertThat(data.path("credentialId").asString()).isEqualTo(credential);
        assertThat(data.path("appKey").asString()).isEqualTo(appKey);
        assertThat(data.path("endUserId").asString()).isEqualTo(endUser);
        assertThat(data.path("model").asString()).isEqualTo("people");
        assertThat(data.path("counts").toString()).isEqualTo("{\"created\":2,\"updated\":0,\"deleted\":0}");
        assertThat(ids(data, "updated")).isEmpty();
        assertThat(ids(data, "deleted")).isEmpty();
        assertThat(data.path("part").asInt()).isEqualTo(1);
        assertThat(data.path("parts").asInt()).isEqualTo(1);
        for (LoggedRequest request : received("/hooks/changes")) {
            assertThat(signatureValid(request, endpoint.secret())).isTrue();
            assertThat(signatureValid(request, "whsec_" + "not-the-secret")).isFalse();
        }

        // A full pass: Mary moved stage, 949 to 947 are read again unchanged, 946 is gone from the CRM.
        receiver.resetRequests();
        provider.resetAll();
        stubPeople(null, 1, ok(maryMovedStage()));
        stubPeople(PAGE_2, 2, ok(lastPage(stub("people-page-2.json"))));
        jdbc.update("UPDATE sync_states SET last_full_pass_at = now() - interval '25 hours', next_run_at = now() "
                + "WHERE credential_id = ?", credential);
        runDue();

        List<JsonNode> reconciliation = events("/hooks/changes", credential, 2);
        assertThat(reconciliation).extracting(e -> e.path("data").path("counts").toString()).containsExactly(
                "{\"created\":0,\"updated\":1,\"deleted\":0}", "{\"created\":0,\"updated\":0,\"deleted\":1}");
        assertThat(ids(reconciliation.get(0).path("data"), "updated")).containsExactly("950");
        assertThat(ids(reconciliation.get(1).path("data"), "deleted")).containsExactly("946");

        // An incremental pass reads Mary again, unchanged: no event.
        receiver.resetRequests();
        provider.resetAll();
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("updatedAfter", matching(".+"))
                .willReturn(ok(lastPage(maryMovedStage()))));
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        runDue();
        assertThat(jdbc.queryForObject("SELECT consecutive_failures FROM sync_states WHERE credential_id = ?",
                Integer.class, credential)).isZero();
        assertThat(provider.getAllServeEvents()).as("read again").hasSize(1);
        pause();
        assertThat(syncEventsFor("/hooks/changes", credential)).isEmpty();
    }

    @Test
    void moreThanFiveHundredIdsArriveInPartsThatTogetherListEachIdOnce() {
        endpoint("/hooks/parts", "records.changed");
        String credential = syncedCredential("agent-" + UUID.randomUUID(), "people");
        stubPeople(null, 1, ok(people(1, 600)));

        runDue();

        List<JsonNode> created = events("/hooks/parts", credential, 2);
        assertThat(created).extracting(e -> e.path("data").path("part").asInt()).containsExactly(1, 2);
        assertThat(created).extracting(e -> e.path("data").path("parts").asInt()).containsOnly(2);
        assertThat(created).extracting(e -> e.path("data").path("counts").toString())
                .containsOnly("{\"created\":600,\"updated\":0,\"deleted\":0}");
        assertThat(ids(created.get(0).path("data"), "created")).hasSize(500);
        assertThat(ids(created.get(1).path("data"), "created")).hasSize(100);
        var all = new ArrayList<String>();
        created.forEach(e -> all.addAll(ids(e.path("data"), "created")));
        assertThat(all).doesNotHaveDuplicates().hasSize(600).contains("1", "600");

        // A full pass finds one person left: 599 deleted, reported as 500 and 99.
        receiver.resetRequests();
        provider.resetAll();
        stubPeople(null, 1, ok(people(600, 600)));
        jdbc.update("UPDATE sync_states SET last_full_pass_at = now() - interval '25 hours', next_run_at = now() "
                + "WHERE credential_id = ?", credential);
        runDue();

        List<JsonNode> deleted = events("/hooks/parts", credential, 2);
        assertThat(deleted).extracting(e -> e.path("data").path("counts").toString())
                .containsOnly("{\"created\":0,\"updated\":0,\"deleted\":599}");
        assertThat(deleted).extracting(e -> ids(e.path("data"), "deleted").size()).containsExactly(500, 99);
        var gone = new ArrayList<String>();
        deleted.forEach(e -> gone.addAll(ids(e.path("data"), "deleted")));
        assertThat(gone).doesNotHaveDuplicates().hasSize(599).doesNotContain("600");
    }

    @Test
    void aStreakOfFailuresIsReportedOnceAndTheRunThatCompletesAfterItOnceAndResumingReportsNoPageTwice() {
        endpoint("/hooks/health");
        String credential = syncedCredential("agent-" + UUID.randomUUID(), "people");
        stubPeople(null, 1, ok(stub("people-page-1.json")));
        stubPeople(PAGE_2, 2, aResponse().withStatus(500));

        runDue();
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        runDue();
        assertThat(jdbc.queryForObject("SELECT consecutive_failures FROM sync_states WHERE credential_id = ?",
                Integer.class, credential)).isEqualTo(2);

        provider.resetAll();
        stubPeople(null, 1, aResponse().withStatus(500));
        stubPeople(PAGE_2, 2, ok(stub("people-page-2.json")));
        stubPeople(PAGE_3, 3, ok(stub("people-page-3.json")));
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        runDue();

        List<JsonNode> events = events("/hooks/health", credential, 5);
        assertThat(events).extracting(e -> e.path("type").asString()).containsExactly("records.changed",
                "sync.failed", "records.changed", "records.changed", "sync.recovered");
        JsonNode failed = events.get(1).path("data");
        assertThat(failed.path("model").asString()).isEqualTo("people");
        assertThat(failed.path("error").asString()).contains("failed (500)");
        assertThat(events.get(4).path("data").path("failedRuns").asInt()).isEqualTo(2);
        var created = new ArrayList<String>();
        events.forEach(e -> created.addAll(ids(e.path("data"), "created")));
        assertThat(created).containsExactly("950", "949", "948", "947", "946");

        // A later failure starts a new streak: reported again.
        provider.resetAll();
        stubPeople(null, 1, aResponse().withStatus(500));
        jdbc.update("UPDATE sync_states SET last_full_pass_at = now() - interval '25 hours', next_run_at = now() "
                + "WHERE credential_id = ?", credential);
        runDue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(syncEventsFor("/hooks/health",
                credential)).extracting(e -> e.path("type").asString()).endsWith("sync.recovered", "sync.failed"));
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverReportsNothingAndTheNewOwnerReportsEachPageOnce() {
        endpoint("/hooks/lease");
        String credential = syncedCredential("agent-" + UUID.randomUUID(), "people");
        stubPeople(null, 1, ok(stub("people-page-1.json")));
        stubPeople(PAGE_2, 2, ok(stub("people-page-2.json")));
        stubPeople(PAGE_3, 3, ok(stub("people-page-3.json")));
        SyncStates.Claim stalled = ours(worker.claim(100), credential);
        // The first worker stops making progress: its lease runs out and another worker takes the run.
        jdbc.update("UPDATE sync_states SET lease_until = now() - interval '1 second' WHERE credential_id = ?",
                credential);
        SyncStates.Claim takenOver = ours(worker.claim(100), credential);

        assertThat(runner.run(stalled)).isEqualTo(SyncRunner.Outcome.LEASE_LOST);
        assertThat(runner.run(takenOver)).isEqualTo(SyncRunner.Outcome.COMPLETED);

        List<JsonNode> events = events("/hooks/lease", credential, 3);
        assertThat(events).extracting(e -> e.path("type").asString()).containsOnly("records.changed");
        var created = new ArrayList<String>();
        events.forEach(e -> created.addAll(ids(e.path("data"), "created")));
        assertThat(created).containsExactly("950", "949", "948", "947", "946");
    }

    @Test
    void anEndpointNotSubscribedToSyncEventsGetsNone() {
        endpoint("/hooks/credentials-only", "credential.created");
        String credential = syncedCredential("agent-" + UUID.randomUUID(), "people");
        stubPeople(null, 1, ok(lastPage(stub("people-page-1.json"))));

        runDue();

        assertThat(jdbc.queryForObject("SELECT last_success_at IS NOT NULL FROM sync_states WHERE credential_id = ?",
                Boolean.class, credential)).isTrue();
        pause();
        assertThat(syncEventsFor("/hooks/credentials-only", credential)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private IssuedSecret endpoint(String path, String... types) {
        List<String> subscribed = types.length == 0 ? SYNC_EVENTS : List.of(types);
        return asAdmin(tenant, () -> webhooks.create(tenant.id(),
                new EndpointInput(receiver.baseUrl() + path, null, subscribed)));
    }

    private String syncedCredential(String endUser, String model) {
        String credential = credential(tenant, appKey, endUser, Map.of("apiKey", "fub-api-key"), null);
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/credentials/"
                        + credential + "/sync"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + jwt())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"models\": [\"" + model + "\"]}")).build();
        HttpResponse<byte[]> response = send(request);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        return credential;
    }

    private static SyncStates.Claim ours(List<SyncStates.Claim> claims, String credential) {
        return claims.stream().filter(c -> c.credentialId().equals(credential)).findFirst().orElseThrow();
    }

    private void runDue() {
        for (int ran = worker.runDue(); ran > 0; ran = worker.runDue()) {
            // until nothing is due
        }
    }

    /** Waits for exactly {@code count} sync events about the credential, in the order they arrived. */
    private List<JsonNode> events(String path, String credential, int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> syncEventsFor(path, credential).size() >= count);
        pause();
        List<JsonNode> events = syncEventsFor(path, credential);
        assertThat(events).hasSize(count);
        return events;
    }

    private List<JsonNode> syncEventsFor(String path, String credential) {
        return received(path).stream().map(r -> JSON.readTree(r.getBodyAsString()))
                .filter(body -> SYNC_EVENTS.contains(body.path("type").asString()))
                .filter(body -> credential.equals(body.path("data").path("credentialId").asString(null)))
                .toList();
    }

    private List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    /** Long enough for the worker to deliver anything that should not have been sent. */
    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> ids(JsonNode data, String kind) {
        var ids = new ArrayList<String>();
        data.path(kind).forEach(id -> ids.add(id.asString()));
        return ids;
    }

    /**
     * As docs/webhooks.md tells a receiver to verify, computed here rather than by the code under test: hex
     * HMAC-SHA256 of {@code t + "." + body} keyed with the secret, equal to one of the header's {@code v1} values.
     */
    private static boolean signatureValid(LoggedRequest request, String secret) {
        String header = request.getHeader("Plugboard-Signature");
        assertThat(header).matches("t=\\d+(,v1=[0-9a-f]{64})+");
        String timestamp = header.substring(2, header.indexOf(','));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((timestamp + "." + request.getBodyAsString())
                    .getBytes(StandardCharsets.UTF_8)));
            return List.of(header.split(",")).contains("v1=" + expected);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void stubPeople(@Nullable String next, int page, ResponseDefinitionBuilder answer) {
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("updatedAfter", absent())
                .withQueryParam("next", next == null ? absent() : equalTo(next))
                .willReturn(answer).atPriority(page));
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The documented answer in a stub file (its {@code _source} names the pages it comes from). */
    private static String stub(String file) {
        try (InputStream in = SyncWebhooksIT.class.getResourceAsStream("/universal/followupboss/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Page 1 with Mary moved to another stage since. */
    private static String maryMovedStage() {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("people-page-1.json"));
        ((ObjectNode) page.path("people").get(0)).put("stage", "Active Client").put("updated", "2026-12-01T09:30:00Z");
        return page.toString();
    }

    /** A last page of people {@code from} to {@code to}, each page 1's Mary under another id. */
    private static String people(int from, int to) {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("people-page-1.json"));
        JsonNode mary = page.path("people").get(0);
        ArrayNode people = JSON.createArrayNode();
        for (int id = from; id <= to; id++) {
            people.add(((ObjectNode) mary.deepCopy()).put("id", id).put("name", "Person " + id));
        }
        page.set("people", people);
        ((ObjectNode) page.path("_metadata")).putNull("next").putNull("nextLink").put("total", to - from + 1);
        return page.toString();
    }

    /** A page made the last one: the CRM no longer has what came after it. */
    private static String lastPage(String body) {
        ObjectNode page = (ObjectNode) JSON.readTree(body);
        ((ObjectNode) page.path("_metadata")).putNull("next").putNull("nextLink");
        return page.toString();
    }
}
