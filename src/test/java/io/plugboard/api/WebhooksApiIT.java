package io.plugboard.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.security.TenantScope;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import io.plugboard.webhook.DocumentedVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's backend manages its webhook endpoints over the API as an admin does in the portal: the signing secret
 * is shown once, deliveries (test events, redeliveries) reach a real receiver signed with the current secret, the
 * delivery log pages newest first, every change is audited with the API client as actor, and another tenant's
 * endpoints and deliveries are not found and stay as they were.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksApiIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private TestApi api;
    private WireMockServer receiver;
    private TestTenant tenant;
    private TestTenant other;
    private String token;
    private String otherToken;

    @BeforeAll
    void tenantsAndReceiver() {
        api = new TestApi(port);
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        tenant = TestTenants.create(context, "wh-api");
        other = TestTenants.create(context, "wh-api-other");
        token = TestApi.token(tenant, "tenant");
        otherToken = TestApi.token(other, "tenant");
    }

    /** Endpoints left behind would keep their retries queued ahead of other classes' deliveries. */
    @AfterAll
    void removeEndpointsAndStopReceiver() {
        for (TestTenant created : List.of(tenant, other)) {
            TenantScope.tenant(created.id(), () -> jdbc.update("DELETE FROM webhook_endpoints WHERE tenant_id = ?",
                    created.id()));
        }
        receiver.stop();
    }

    @BeforeEach
    void receiverAccepts() {
        receiver.resetAll();
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @Test
    void creationShowsTheSigningSecretOnceAndNothingElseEverDoes() {
        var created = create(token, "/hooks/created", List.of("credential.created", "credential.revoked"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.path("endpoint").path("id").asString();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/webhooks/" + id);
        String secret = body.path("signingSecret").asString();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(30);
        assertThat(body.path("endpoint").path("url").asString()).isEqualTo(receiver.baseUrl() + "/hooks/created");
        assertThat(body.path("endpoint").path("eventTypes").valueStream().map(JsonNode::asString))
                .containsExactly("credential.created", "credential.revoked");
        assertThat(body.path("endpoint").path("enabled").asBoolean()).isTrue();

        var one = api.get("/api/v1/webhooks/" + id, token);
        var all = api.get("/api/v1/webhooks", token);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("health").asString()).isEqualTo("HEALTHY");
        assertThat(all.json().path("items").valueStream().map(e -> e.path("id").asString())).contains(id);
        for (var read : List.of(one, all)) {
            assertThat(read.body()).doesNotContain(secret).doesNotContain("whsec_").doesNotContain("ecret\":\"");
        }
        assertThat(audit("webhook.endpoint.created", id)).containsEntry("actor_type", "API_CLIENT")
                .containsEntry("actor_id", tenant.clientId()).containsEntry("tenant_id", tenant.id());
    }

    @Test
    void withoutEventTypesAnEndpointGetsWhatThePortalPreselects() {
        var created = api.post("/api/v1/webhooks", token, TestApi.json(Map.of("url", receiver.baseUrl() + "/hooks/default",
                "description", "CRM sync")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var types = created.json().path("endpoint").path("eventTypes").valueStream().map(JsonNode::asString).toList();
        assertThat(types).contains("credential.created", "credential.revoked").doesNotContain("audit.checkpoint");
        assertThat(created.json().path("endpoint").path("description").asString()).isEqualTo("CRM sync");
    }

    @Test
    void theTestEventIsDeliveredSignedAndShowsInTheDeliveries() {
        var created = create(token, "/hooks/test", List.of("credential.created"));
        String id = created.json().path("endpoint").path("id").asString();
        String secret = created.json().path("signingSecret").asString();

        var test = api.post("/api/v1/webhooks/" + id + "/test", token, "");
        assertThat(test.status()).as(test.toString()).isEqualTo(202);
        String eventId = test.json().path("eventId").asString();
        assertThat(eventId).startsWith("evt_");

        eventually().until(() -> received("/hooks/test").size() == 1);
        LoggedRequest request = received("/hooks/test").getFirst();
        assertThat(request.getHeader("Plugboard-Event-Id")).isEqualTo(eventId);
        assertThat(request.getHeader("Plugboard-Event-Type")).isEqualTo("webhook.test");
        assertThat(DocumentedVerifier.verify(request.getHeader("Plugboard-Signature"), request.getBodyAsString(), secret,
                Instant.now())).isTrue();

        eventually().until(() -> "DELIVERED".equals(onlyDelivery(id).path("status").asString()));
        JsonNode delivery = onlyDelivery(id);
        assertThat(delivery.path("eventId").asString()).isEqualTo(eventId);
        assertThat(delivery.path("eventType").asString()).isEqualTo("webhook.test");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(200);
        assertThat(delivery.path("lastResponse").asString()).isEqualTo("ok");
        assertThat(delivery.path("createdAt").asString()).isNotEmpty();
        assertThat(delivery.path("deliveredAt").asString()).isNotEmpty();
        assertThat(delivery.has("payload")).isFalse();
        assertThat(audit("webhook.test.sent", id)).containsEntry("actor_type", "API_CLIENT");
    }

    @Test
    void aRotatedSecretIsShownOnceAndSignsTheNextDeliveries() {
        var created = create(token, "/hooks/rotated", List.of("credential.created"));
        String id = created.json().path("endpoint").path("id").asString();
        String old = created.json().path("signingSecret").asString();

        var rotated = api.post("/api/v1/webhooks/" + id + "/rotate-secret", token, "");

        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String fresh = rotated.json().path("signingSecret").asString();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        // The portal's overlap: the old secret signs too for a while, so the receiver can switch without a gap.
        Instant overlapEnds = Instant.parse(rotated.json().path("endpoint").path("previousSecretUntil").asString());
        assertThat(overlapEnds).isAfter(Instant.now().plus(Duration.ofHours(1)));
        assertThat(api.get("/api/v1/webhooks/" + id, token).body()).doesNotContain(fresh).doesNotContain(old);
        assertThat(audit("webhook.endpoint.secret_rotated", id)).containsEntry("actor_type", "API_CLIENT");

        api.post("/api/v1/webhooks/" + id + "/test", token, "");
        eventually().until(() -> received("/hooks/rotated").size() == 1);
        LoggedRequest request = received("/hooks/rotated").getFirst();
        assertThat(DocumentedVerifier.verify(request.getHeader("Plugboard-Signature"), request.getBodyAsString(), fresh,
                Instant.now())).as("signed with the new secret").isTrue();
    }

    @Test
    void aDeliveryIsRedeliveredOnRequest() {
        var created = create(token, "/hooks/again", List.of("credential.created"));
        String id = created.json().path("endpoint").path("id").asString();
        String eventId = api.post("/api/v1/webhooks/" + id + "/test", token, "").json().path("eventId").asString();
        eventually().until(() -> "DELIVERED".equals(onlyDelivery(id).path("status").asString()));
        long deliveryId = onlyDelivery(id).path("id").asLong();

        var redelivered = api.post("/api/v1/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", token, "");

        assertThat(redelivered.status()).as(redelivered.toString()).isEqualTo(202);
        assertThat(redelivered.json().path("status").asString()).isEqualTo("PENDING");
        eventually().until(() -> received("/hooks/again").size() == 2);
        assertThat(received("/hooks/again")).extracting(r -> r.getHeader("Plugboard-Event-Id")).containsOnly(eventId);
        eventually().until(() -> onlyDelivery(id).path("attempts").asInt() == 2
                && "DELIVERED".equals(onlyDelivery(id).path("status").asString()));
        assertThat(audit("webhook.delivery.redelivered", Long.toString(deliveryId))).containsEntry("actor_type", "API_CLIENT");
    }

    @Test
    void theDeliveryLogPagesNewestFirstWithACursorAndFiltersByStatus() {
        var created = create(token, "/hooks/paged", List.of("credential.created"));
        String id = created.json().path("endpoint").path("id").asString();
        var events = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            events.add(api.post("/api/v1/webhooks/" + id + "/test", token, "").json().path("eventId").asString());
        }
        eventually().until(() -> deliveries(id, "?status=DELIVERED").path("items").size() == 3);

        JsonNode first = deliveries(id, "?limit=2");
        assertThat(first.path("items").valueStream().map(d -> d.path("eventId").asString()))
                .containsExactly(events.get(2), events.get(1));
        String cursor = first.path("nextCursor").asString();
        JsonNode second = deliveries(id, "?limit=2&cursor=" + cursor);
        assertThat(second.path("items").valueStream().map(d -> d.path("eventId").asString())).containsExactly(events.get(0));
        assertThat(second.path("nextCursor").isNull()).isTrue();
        JsonNode exact = deliveries(id, "?limit=3");
        assertThat(exact.path("items").size()).isEqualTo(3);
        assertThat(exact.path("nextCursor").isNull()).as("a page that holds the last delivery ends the listing").isTrue();
        assertThat(deliveries(id, "?status=failed").path("items").size()).isZero();

        for (String bad : List.of("?limit=0", "?limit=501", "?status=LOST", "?cursor=abc")) {
            var refused = api.get("/api/v1/webhooks/" + id + "/deliveries" + bad, token);
            assertThat(refused.status()).as(bad + " " + refused).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void anEndpointIsChangedDisabledAndDeletedWithThePortalsValidation() {
        var created = create(token, "/hooks/changed", List.of("credential.created"));
        String id = created.json().path("endpoint").path("id").asString();

        var changed = api.patch("/api/v1/webhooks/" + id, token, TestApi.json(Map.of("url", receiver.baseUrl()
                + "/hooks/changed-too", "eventTypes", List.of("credential.revoked"), "description", "Ops")));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().path("url").asString()).endsWith("/hooks/changed-too");
        assertThat(changed.json().path("description").asString()).isEqualTo("Ops");
        assertThat(audit("webhook.endpoint.updated", id)).containsEntry("actor_type", "API_CLIENT");

        var disabled = api.patch("/api/v1/webhooks/" + id, token, "{\"enabled\":false}");
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().path("url").asString()).as("unchanged").endsWith("/hooks/changed-too");
        assertThat(disabled.json().path("health").asString()).isEqualTo("DISABLED");
        var refusedTest = api.post("/api/v1/webhooks/" + id + "/test", token, "");
        assertThat(refusedTest.status()).isEqualTo(400);
        assertThat(refusedTest.json().path("detail").asString()).contains("disabled");
        assertThat(api.patch("/api/v1/webhooks/" + id, token, "{\"enabled\":true}").json().path("enabled").asBoolean())
                .isTrue();

        for (String bad : List.of("{\"url\":\"ftp://example.com/x\"}", "{\"url\":\"https://user:pw@example.com/x\"}",
                "{\"eventTypes\":[\"credential.exploded\"]}", "{\"eventTypes\":[]}",
                "{\"description\":\"" + "d".repeat(201) + "\"}")) {
            var refused = api.patch("/api/v1/webhooks/" + id, token, bad);
            assertThat(refused.status()).as(bad + " " + refused).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        var mixed = api.patch("/api/v1/webhooks/" + id, token, TestApi.json(Map.of("url", receiver.baseUrl()
                + "/hooks/never", "eventTypes", List.of("credential.exploded"), "enabled", false)));
        assertThat(mixed.status()).as("a refused part refuses the whole").isEqualTo(400);
        JsonNode unchanged = api.get("/api/v1/webhooks/" + id, token).json();
        assertThat(unchanged.path("url").asString()).endsWith("/hooks/changed-too");
        assertThat(unchanged.path("enabled").asBoolean()).isTrue();
        var refusedCreate = api.post("/api/v1/webhooks", token, "{\"url\":\"not a url\"}");
        assertThat(refusedCreate.status()).as(refusedCreate.toString()).isEqualTo(400);

        var deleted = api.delete("/api/v1/webhooks/" + id, token);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/webhooks/" + id, token).status()).isEqualTo(404);
        assertThat(audit("webhook.endpoint.deleted", id)).containsEntry("actor_type", "API_CLIENT");
    }

    @Test
    void anotherTenantsEndpointAndDeliveriesAreNotFoundAndStayAsTheyWere() {
        var theirs = create(otherToken, "/hooks/theirs", List.of("credential.created"));
        String id = theirs.json().path("endpoint").path("id").asString();
        api.post("/api/v1/webhooks/" + id + "/test", otherToken, "");
        eventually().until(() -> "DELIVERED".equals(deliveries(otherToken, id, "").path("items").path(0).path("status")
                .asString()));
        long theirDelivery = deliveries(otherToken, id, "").path("items").path(0).path("id").asLong();
        String before = api.get("/api/v1/webhooks/" + id, otherToken).body();
        String mine = create(token, "/hooks/mine", List.of("credential.created")).json().path("endpoint").path("id")
                .asString();

        var attempts = List.of(
                api.get("/api/v1/webhooks/" + id, token),
                api.patch("/api/v1/webhooks/" + id, token, "{\"enabled\":false}"),
                api.post("/api/v1/webhooks/" + id + "/rotate-secret", token, ""),
                api.post("/api/v1/webhooks/" + id + "/test", token, ""),
                api.get("/api/v1/webhooks/" + id + "/deliveries", token),
                api.post("/api/v1/webhooks/" + id + "/deliveries/" + theirDelivery + "/redeliver", token, ""),
                api.post("/api/v1/webhooks/" + mine + "/deliveries/" + theirDelivery + "/redeliver", token, ""),
                api.delete("/api/v1/webhooks/" + id, token),
                api.get("/api/v1/webhooks/" + UUID.randomUUID(), token),
                api.get("/api/v1/webhooks/not-an-id", token));
        assertThat(attempts).allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
        });
        assertThat(api.get("/api/v1/webhooks", token).json().path("items").valueStream()
                .map(e -> e.path("id").asString())).doesNotContain(id);

        assertThat(api.get("/api/v1/webhooks/" + id, otherToken).body()).as("untouched").isEqualTo(before);
        JsonNode theirDeliveries = deliveries(otherToken, id, "");
        assertThat(theirDeliveries.path("items").size()).isEqualTo(1);
        assertThat(theirDeliveries.path("items").path(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(received("/hooks/theirs")).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    private TestApi.Response create(String as, String path, List<String> types) {
        return api.post("/api/v1/webhooks", as, TestApi.json(Map.of("url", receiver.baseUrl() + path,
                "eventTypes", types)));
    }

    private JsonNode deliveries(String id, String query) {
        return deliveries(token, id, query);
    }

    private JsonNode deliveries(String as, String id, String query) {
        var response = api.get("/api/v1/webhooks/" + id + "/deliveries" + query, as);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private JsonNode onlyDelivery(String id) {
        JsonNode items = deliveries(id, "").path("items");
        assertThat(items.size()).isEqualTo(1);
        return items.get(0);
    }

    private List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private Map<String, Object> audit(String action, String targetId) {
        return jdbc.queryForMap("SELECT actor_type, actor_id, tenant_id FROM audit_events WHERE action = ? "
                + "AND target_id = ? ORDER BY seq DESC LIMIT 1", action, targetId);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100));
    }
}
