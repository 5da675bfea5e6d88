package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.credential.CredentialChange;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.NewCredential;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Events from real changes reach a real receiver: signed so that a verifier written from the README accepts
 * them, retried with backoff, turned off by 410 Gone, in order per credential, and recorded in the log and
 * the audit trail.
 */
@PlugboardTest
class WebhookDeliveryIT extends WebhookTestSupport {

    @Test
    void aNewCredentialIsDeliveredSignedWithTheEndpointsSecretAndWithoutAnySecret() {
        IssuedSecret endpoint = endpoint("/hooks/created");
        String user = uniqueUser();
        String id = credential(tenant, user, Map.of());

        eventually().until(() -> received("/hooks/created").size() == 1);
        LoggedRequest request = received("/hooks/created").getFirst();
        String body = request.getBodyAsString();
        JsonNode json = json(request);
        assertThat(json.get("id").asString()).startsWith("evt_").isEqualTo(request.getHeader("Plugboard-Event-Id"));
        assertThat(json.get("type").asString()).isEqualTo("credential.created").isEqualTo(request.getHeader("Plugboard-Event-Type"));
        assertThat(Instant.parse(json.get("createdAt").asString())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(json.get("tenant").asString()).isEqualTo(tenant.id().toString());
        JsonNode data = json.get("data");
        assertThat(data.get("credentialId").asString()).isEqualTo(id);
        assertThat(data.get("appKey").asString()).isEqualTo(CONNECTOR);
        assertThat(data.get("endUserId").asString()).isEqualTo(user);
        assertThat(data.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(data.get("metadata").isObject()).isTrue();
        assertThat(body).doesNotContain("fub-key-" + user);

        String signature = request.getHeader("Plugboard-Signature");
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(DocumentedVerifier.verify(signature, body, endpoint.secret(), Instant.now())).isTrue();
        assertThat(DocumentedVerifier.verify(signature, body.replace(user, "someone-else"), endpoint.secret(), Instant.now()))
                .as("tampered body").isFalse();
        assertThat(DocumentedVerifier.verify(signature, body, SigningSecrets.generate(), Instant.now())).as("wrong secret").isFalse();
        assertThat(DocumentedVerifier.verify(signature, body, endpoint.secret(), Instant.now().plus(Duration.ofMinutes(6))))
                .as("replayed after the window").isFalse();

        eventually().until(() -> "DELIVERED".equals(delivery(json.get("id").asString(), endpoint.endpoint().id()).get("status")));
        var row = delivery(json.get("id").asString(), endpoint.endpoint().id());
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("last_status_code")).isEqualTo(200);
        assertThat(row.get("last_response")).isEqualTo("ok");
        assertThat(auditCount("webhook.delivery.succeeded", row.get("id").toString())).isEqualTo(1);
    }

    @Test
    void everyKindOfCredentialChangeBecomesItsEventInTheOrderItHappened() {
        endpoint("/hooks/lifecycle");
        String user = uniqueUser();
        String id = credential(tenant, user, Map.of());
        asAdmin(() -> credentials.update(tenant.id(), id, new CredentialChange("Renamed", null)));
        asAdmin(() -> credentials.reconnect(tenant.id(), id, new NewCredential(CONNECTOR, user, null, null, null,
                Map.of("apiKey", "new-key"), null, null)));
        asAdmin(() -> credentials.revoke(tenant.id(), id));

        eventually().until(() -> typesFor("/hooks/lifecycle", id).size() == 4);
        assertThat(typesFor("/hooks/lifecycle", id)).containsExactly("credential.created", "credential.metadata.updated",
                "credential.reconnected", "credential.revoked");
        JsonNode revoked = received("/hooks/lifecycle").stream().map(WebhookTestSupport::json)
                .filter(j -> j.get("type").asString().equals("credential.revoked")
                        && j.get("data").get("credentialId").asString().equals(id)).findFirst().orElseThrow();
        assertThat(revoked.get("data").get("status").asString()).isEqualTo(CredentialStatus.REVOKED.name());
        // An API-key connector has nothing to revoke at the provider, and the event says so.
        assertThat(revoked.get("data").path("providerRevocation").path("status").asString()).isEqualTo("not_supported");
        assertThat(revoked.get("data").path("providerRevocation").path("attempts").asInt()).isZero();
        assertThat(received("/hooks/lifecycle").stream().map(LoggedRequest::getBodyAsString))
                .noneMatch(body -> body.contains("new-key") || body.contains("fub-key"));
    }

    @Test
    void anEndpointReceivesOnlyTheTypesItSubscribedTo() {
        endpoint("/hooks/revocations-only", "credential.revoked");
        endpoint("/hooks/everything");
        String id = credential(uniqueUser());
        asAdmin(() -> credentials.revoke(tenant.id(), id));

        eventually().until(() -> typesFor("/hooks/everything", id).size() == 2);
        eventually().until(() -> typesFor("/hooks/revocations-only", id).size() == 1);
        assertThat(typesFor("/hooks/revocations-only", id)).containsExactly("credential.revoked");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM webhook_events WHERE tenant_id = ? AND payload::jsonb -> 'data' ->> 'credentialId' = ?""",
                Long.class, tenant.id(), id)).as("one event per change, however many endpoints").isEqualTo(2);
    }

    @Test
    void aFailedAttemptIsRetriedAfterABackoffWithJitterThenDelivered() {
        IssuedSecret endpoint = endpoint("/hooks/flaky");
        receiver.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody("database down"))
                .willSetStateTo("recovered"));
        receiver.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(202)));
        String id = credential(uniqueUser());
        long delivery = deliveryIds(endpoint.endpoint().id(), id).getFirst();

        eventually().until(() -> attempts(delivery) == 1);
        var afterFailure = jdbc.queryForMap("SELECT * FROM webhook_deliveries WHERE id = ?", delivery);
        assertThat(afterFailure.get("status")).isEqualTo("PENDING");
        assertThat(afterFailure.get("last_status_code")).isEqualTo(500);
        assertThat(afterFailure.get("last_response")).isEqualTo("database down");
        assertThat(afterFailure.get("last_error")).isEqualTo("The receiver answered 500");
        Double backoff = jdbc.queryForObject("SELECT extract(epoch FROM next_attempt_at - last_attempt_at) "
                + "FROM webhook_deliveries WHERE id = ?", Double.class, delivery);
        // The first backoff is 10 s with equal jitter: between 5 and 10 seconds after the attempt.
        assertThat(backoff).isBetween(5.0, 10.0);
        assertThat(received("/hooks/flaky")).as("nothing more before the backoff ends").hasSize(1);
        WebhookEndpoint afterOne = asAdmin(() -> webhooks.endpoint(tenant.id(), endpoint.endpoint().id()));
        assertThat(afterOne.consecutiveFailures()).isEqualTo(1);
        assertThat(afterOne.health()).as("one failure is not yet failing").isEqualTo(EndpointHealth.HEALTHY);

        dueNow(delivery);
        eventually().until(() -> "DELIVERED".equals(status(delivery)));
        assertThat(attempts(delivery)).isEqualTo(2);
        List<LoggedRequest> both = received("/hooks/flaky");
        assertThat(both).hasSize(2);
        assertThat(both).extracting(r -> r.getHeader("Plugboard-Event-Id")).as("a retry is the same event").containsOnly(
                both.getFirst().getHeader("Plugboard-Event-Id"));
        assertThat(both.get(1).getHeader("Plugboard-Delivery-Attempt")).isEqualTo("2");
        assertThat(DocumentedVerifier.verify(both.get(1).getHeader("Plugboard-Signature"), both.get(1).getBodyAsString(),
                endpoint.secret(), Instant.now())).as("signed afresh at each attempt").isTrue();
        assertThat(asAdmin(() -> webhooks.endpoint(tenant.id(), endpoint.endpoint().id())).consecutiveFailures()).isZero();
    }

    @Test
    void goneDisablesTheEndpointAndNothingMoreIsQueuedForIt() {
        IssuedSecret endpoint = endpoint("/hooks/gone");
        receiver.stubFor(post(urlEqualTo("/hooks/gone")).willReturn(aResponse().withStatus(410).withBody("unsubscribed")));
        String id = credential(uniqueUser());
        long delivery = deliveryIds(endpoint.endpoint().id(), id).getFirst();

        eventually().until(() -> "FAILED".equals(status(delivery)));
        WebhookEndpoint disabled = asAdmin(() -> webhooks.endpoint(tenant.id(), endpoint.endpoint().id()));
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.health()).isEqualTo(EndpointHealth.DISABLED);
        assertThat(disabled.disabledReason()).startsWith("The receiver answered 410 Gone");
        assertThat(auditCount("webhook.endpoint.disabled", endpoint.endpoint().id().toString())).isEqualTo(1);

        asAdmin(() -> credentials.revoke(tenant.id(), id));
        assertThat(deliveryIds(endpoint.endpoint().id(), id)).as("a disabled endpoint gets no new deliveries").hasSize(1);
        assertThat(received("/hooks/gone")).hasSize(1);
    }

    @Test
    void aLaterEventOfACredentialWaitsWhileAnEarlierOneIsPendingOtherCredentialsDoNot() {
        IssuedSecret endpoint = endpoint("/hooks/ordered");
        receiver.stubFor(post(urlEqualTo("/hooks/ordered")).inScenario("ordered").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        receiver.stubFor(post(urlEqualTo("/hooks/ordered")).inScenario("ordered").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        String first = credential(uniqueUser());
        long created = deliveryIds(endpoint.endpoint().id(), first).getFirst();
        eventually().until(() -> attempts(created) == 1);

        asAdmin(() -> credentials.update(tenant.id(), first, new CredentialChange("One", null)));
        asAdmin(() -> credentials.update(tenant.id(), first, new CredentialChange("Two", null)));
        asAdmin(() -> credentials.revoke(tenant.id(), first));
        String other = credential(uniqueUser());

        eventually().until(() -> typesFor("/hooks/ordered", other).size() == 1);
        assertThat(typesFor("/hooks/ordered", first)).as("only the failed first attempt so far")
                .containsExactly("credential.created");
        assertThat(deliveryIds(endpoint.endpoint().id(), first)).hasSize(4).allSatisfy(id ->
                assertThat(status(id)).isEqualTo("PENDING"));

        dueNow(created);
        eventually().until(() -> typesFor("/hooks/ordered", first).size() == 5);
        assertThat(typesFor("/hooks/ordered", first)).containsExactly("credential.created", "credential.created",
                "credential.metadata.updated", "credential.metadata.updated", "credential.revoked");
        assertThat(received("/hooks/ordered").stream().map(WebhookTestSupport::json)
                .filter(j -> j.get("type").asString().equals("credential.metadata.updated")
                        && j.get("data").get("credentialId").asString().equals(first))
                .map(j -> j.get("id").asString()).distinct()).hasSize(2);
    }

    @Test
    void repeatedFailuresMarkTheEndpointFailingAndASuccessHealsIt() {
        IssuedSecret endpoint = endpoint("/hooks/sick");
        receiver.stubFor(post(urlEqualTo("/hooks/sick")).willReturn(aResponse().withStatus(502)));
        String id = credential(uniqueUser());
        long delivery = deliveryIds(endpoint.endpoint().id(), id).getFirst();
        for (int attempt = 1; attempt <= 5; attempt++) {
            int expected = attempt;
            dueNow(delivery);
            eventually().until(() -> attempts(delivery) == expected);
        }
        WebhookEndpoint sick = asAdmin(() -> webhooks.endpoint(tenant.id(), endpoint.endpoint().id()));
        assertThat(sick.health()).isEqualTo(EndpointHealth.FAILING);
        assertThat(sick.consecutiveFailures()).isEqualTo(5);
        assertThat(sick.lastFailureAt()).isNotNull();
        assertThat(auditCount("webhook.endpoint.failing", endpoint.endpoint().id().toString())).isEqualTo(1);
        assertThat(asAdmin(() -> webhooks.summary(tenant.id())).failingEndpoints()).isPositive();

        receiver.stubFor(post(urlEqualTo("/hooks/sick")).willReturn(aResponse().withStatus(200)));
        dueNow(delivery);
        eventually().until(() -> "DELIVERED".equals(status(delivery)));
        WebhookEndpoint healed = asAdmin(() -> webhooks.endpoint(tenant.id(), endpoint.endpoint().id()));
        assertThat(healed.health()).isEqualTo(EndpointHealth.HEALTHY);
        assertThat(healed.lastSuccessAt()).isNotNull();
        assertThat(auditCount("webhook.endpoint.recovered", endpoint.endpoint().id().toString())).isEqualTo(1);
    }

    @Test
    void aDisabledEndpointKeepsItsPendingDeliveriesUntilItIsEnabledAgain() {
        IssuedSecret endpoint = endpoint("/hooks/paused");
        receiver.stubFor(post(urlEqualTo("/hooks/paused")).willReturn(aResponse().withStatus(500)));
        String id = credential(uniqueUser());
        long delivery = deliveryIds(endpoint.endpoint().id(), id).getFirst();
        eventually().until(() -> attempts(delivery) == 1);

        asAdmin(() -> webhooks.setEnabled(tenant.id(), endpoint.endpoint().id(), false));
        Delivery parked = asAdmin(() -> webhooks.delivery(tenant.id(), delivery));
        assertThat(parked.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(parked.nextAttemptAt()).as("no next attempt while disabled").isNull();
        receiver.stubFor(post(urlEqualTo("/hooks/paused")).willReturn(aResponse().withStatus(200)));

        asAdmin(() -> webhooks.setEnabled(tenant.id(), endpoint.endpoint().id(), true));
        eventually().until(() -> "DELIVERED".equals(status(delivery)));
        assertThat(attempts(delivery)).isEqualTo(2);
        assertThat(auditCount("webhook.endpoint.disabled", endpoint.endpoint().id().toString())).isEqualTo(1);
        assertThat(auditCount("webhook.endpoint.enabled", endpoint.endpoint().id().toString())).isEqualTo(1);
    }

    @Test
    void aDeliveryIsGivenUpWhenItsRetryPeriodEnds() {
        IssuedSecret endpoint = endpoint("/hooks/dead");
        receiver.stubFor(post(urlEqualTo("/hooks/dead")).willReturn(aResponse().withStatus(500)));
        String id = credential(uniqueUser());
        long delivery = deliveryIds(endpoint.endpoint().id(), id).getFirst();
        eventually().until(() -> attempts(delivery) == 1);

        jdbc.update("UPDATE webhook_deliveries SET give_up_at = now() + interval '1 second' WHERE id = ?", delivery);
        dueNow(delivery);
        eventually().until(() -> "FAILED".equals(status(delivery)));
        assertThat(attempts(delivery)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE action = 'webhook.delivery.failed' "
                + "AND target_id = ?", String.class, Long.toString(delivery))).contains("gave up after 2 attempts");
    }

    @Test
    void duringARotationOverlapBothSecretsSignThenOnlyTheNewOne() {
        IssuedSecret original = endpoint("/hooks/rotating");
        IssuedSecret rotated = asAdmin(() -> webhooks.rotateSecret(tenant.id(), original.endpoint().id()));
        assertThat(rotated.secret()).isNotEqualTo(original.secret());
        assertThat(rotated.endpoint().previousSecretUntil()).isBetween(Instant.now().plus(Duration.ofHours(23)),
                Instant.now().plus(Duration.ofHours(25)));
        String id = credential(uniqueUser());

        eventually().until(() -> typesFor("/hooks/rotating", id).size() == 1);
        LoggedRequest duringOverlap = received("/hooks/rotating").getFirst();
        String header = duringOverlap.getHeader("Plugboard-Signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(DocumentedVerifier.verify(header, duringOverlap.getBodyAsString(), rotated.secret(), Instant.now())).isTrue();
        assertThat(DocumentedVerifier.verify(header, duringOverlap.getBodyAsString(), original.secret(), Instant.now())).isTrue();

        jdbc.update("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second' WHERE id = ?",
                original.endpoint().id());
        asAdmin(() -> credentials.revoke(tenant.id(), id));
        eventually().until(() -> typesFor("/hooks/rotating", id).size() == 2);
        LoggedRequest afterOverlap = received("/hooks/rotating").get(1);
        String after = afterOverlap.getHeader("Plugboard-Signature");
        assertThat(after).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(DocumentedVerifier.verify(after, afterOverlap.getBodyAsString(), rotated.secret(), Instant.now())).isTrue();
        assertThat(DocumentedVerifier.verify(after, afterOverlap.getBodyAsString(), original.secret(), Instant.now())).isFalse();
        assertThat(auditCount("webhook.endpoint.secret_rotated", original.endpoint().id().toString())).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT encode(secret, 'escape') FROM webhook_endpoints WHERE id = ?", String.class,
                original.endpoint().id())).as("sealed at rest").doesNotContain(rotated.secret());
    }

    @Test
    void aTestEventAndAManualRedeliveryGoThroughTheOutboxAndAreAudited() {
        IssuedSecret endpoint = endpoint("/hooks/manual", "credential.revoked");
        String eventId = asAdmin(() -> webhooks.sendTest(tenant.id(), endpoint.endpoint().id()));
        eventually().until(() -> received("/hooks/manual").size() == 1);
        JsonNode test = json(received("/hooks/manual").getFirst());
        assertThat(test.get("id").asString()).isEqualTo(eventId);
        assertThat(test.get("type").asString()).isEqualTo("webhook.test");
        assertThat(test.get("data").get("endpointId").asString()).isEqualTo(endpoint.endpoint().id().toString());
        assertThat(auditCount("webhook.test.sent", endpoint.endpoint().id().toString())).isEqualTo(1);

        long delivery = ((Number) delivery(eventId, endpoint.endpoint().id()).get("id")).longValue();
        eventually().until(() -> "DELIVERED".equals(status(delivery)));
        Delivery again = asAdmin(() -> webhooks.redeliver(tenant.id(), delivery));
        assertThat(again.status()).isEqualTo(DeliveryStatus.PENDING);
        eventually().until(() -> received("/hooks/manual").size() == 2);
        assertThat(json(received("/hooks/manual").get(1)).get("id").asString()).isEqualTo(eventId);
        eventually().until(() -> "DELIVERED".equals(status(delivery)));
        assertThat(attempts(delivery)).isEqualTo(2);
        assertThat(auditCount("webhook.delivery.redelivered", Long.toString(delivery))).isEqualTo(1);
    }

    private int attempts(long delivery) {
        Integer attempts = jdbc.queryForObject("SELECT attempts FROM webhook_deliveries WHERE id = ?", Integer.class, delivery);
        return attempts == null ? -1 : attempts;
    }

    private String status(long delivery) {
        return jdbc.queryForObject("SELECT status FROM webhook_deliveries WHERE id = ?", String.class, delivery);
    }
}
