package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.NewCredential;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A revocation at the provider that the worker settles after the revoke (here: bulk revoke, whose attempts the worker
 * makes) is announced to the tenant's backend as {@code credential.provider_revocation.updated}, once, with the final
 * {@code providerRevocation}; the receiver doubles as the provider's RFC 7009 endpoint.
 */
@PlugboardTest
class ProviderRevocationEventIT extends WebhookTestSupport {

    private static final String TYPE = "credential.provider_revocation.updated";

    @Autowired
    CustomConnectorService customConnectors;

    private String revocable(String revokePath) {
        return asAdmin(() -> {
            var saved = customConnectors.save(tenant.id(), customConnectors.parse("""
                    appKey: wh-revoke-%s
                    name: Webhook revocation
                    category: CRM
                    authMode: OAUTH2_AUTHORIZATION_CODE
                    oauth:
                      authorizationUrl: %s/oauth/authorize
                      tokenUrl: %s/oauth/token
                      revocationUrl: %s%s
                      clientAuthentication: client_secret_post
                    api:
                      baseUrl: %s/api
                      auth:
                        type: BEARER
                    """.formatted(UUID.randomUUID().toString().substring(0, 6), receiver.baseUrl(), receiver.baseUrl(),
                    receiver.baseUrl(), revokePath, receiver.baseUrl())));
            integrations.update(tenant.id(), saved.appKey(), new IntegrationUpdate(true, "client", "client-secret",
                    List.of()));
            return saved.appKey();
        });
    }

    private String credential(String appKey, String refreshToken) {
        return asAdmin(() -> credentials.create(tenant.id(), new NewCredential(appKey, uniqueUser(), null, null, null,
                null, Map.of(), new NewCredential.Tokens("at-" + UUID.randomUUID(), refreshToken, "Bearer",
                        Instant.now().plus(1, ChronoUnit.HOURS), List.of(), null))).id());
    }

    private JsonNode data(String path, String credentialId) {
        return received(path).stream().map(WebhookTestSupport::json)
                .filter(j -> TYPE.equals(j.get("type").asString()))
                .filter(j -> credentialId.equals(j.get("data").get("credentialId").asString())).findFirst()
                .orElseThrow().get("data");
    }

    @Test
    void aRevocationSettledInTheBackgroundIsAnnouncedOnceWithItsOutcome() {
        endpoint("/outbox/revocations", "credential.revoked", TYPE);
        receiver.stubFor(post(urlEqualTo("/provider/ok/revoke")).willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlEqualTo("/provider/refusing/revoke")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));
        String doneToken = "rt-done-" + UUID.randomUUID();
        String failedToken = "rt-failed-" + UUID.randomUUID();
        String done = credential(revocable("/provider/ok/revoke"), doneToken);
        String failed = credential(revocable("/provider/refusing/revoke"), failedToken);

        asAdmin(() -> credentials.revokeAll(tenant.id(), List.of(done, failed)));

        eventually().until(() -> typesFor("/outbox/revocations", done).size() == 2
                && typesFor("/outbox/revocations", failed).size() == 2);
        assertThat(typesFor("/outbox/revocations", done)).containsExactlyInAnyOrder("credential.revoked", TYPE);
        assertThat(typesFor("/outbox/revocations", failed)).containsExactlyInAnyOrder("credential.revoked", TYPE);

        JsonNode doneData = data("/outbox/revocations", done);
        assertThat(doneData.get("status").asString()).isEqualTo("REVOKED");
        assertThat(doneData.get("providerRevocation").get("status").asString()).isEqualTo("done");
        assertThat(doneData.get("providerRevocation").get("attempts").asInt()).isEqualTo(1);
        assertThat(doneData.get("providerRevocation").get("lastError").isNull()).isTrue();
        assertThat(doneData.get("providerRevocation").get("lastAttemptAt").isNull()).isFalse();
        JsonNode failedData = data("/outbox/revocations", failed);
        assertThat(failedData.get("providerRevocation").get("status").asString()).isEqualTo("failed");
        assertThat(failedData.get("providerRevocation").get("lastError").asString())
                .isEqualTo("HTTP 401 invalid_client");

        // One event each, stored with the outcome: the outbox holds exactly one for each settled revocation.
        for (String id : List.of(done, failed)) {
            assertThat(jdbc.queryForObject("""
                    SELECT count(*) FROM webhook_events WHERE tenant_id = ? AND type = ?
                        AND payload::jsonb -> 'data' ->> 'credentialId' = ?""", Long.class, tenant.id(), TYPE, id))
                    .isOne();
        }
        assertThat(received("/outbox/revocations").stream().map(r -> r.getBodyAsString()))
                .noneMatch(body -> body.contains(doneToken) || body.contains(failedToken) || body.contains("client-secret"));
    }
}
