package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectSessionService;
import io.plugboard.connect.NewConnectSession;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialEvents;
import io.plugboard.credential.CredentialResolver;
import io.plugboard.credential.CredentialStatus;
import io.plugboard.credential.NewCredential;
import io.plugboard.credential.RefreshFailedException;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.transaction.IllegalTransactionStateException;
import tools.jackson.databind.JsonNode;

/**
 * The outbox row exists exactly when the change it describes was committed: a rolled-back change leaves none, a
 * committed one always has its own, and every place that publishes does so inside its change's transaction.
 */
@PlugboardTest
class WebhookOutboxIT extends WebhookTestSupport {

    @Autowired
    CredentialResolver resolver;

    @Autowired
    CustomConnectorService customConnectors;
    @Autowired
    ConnectSessionService connectSessions;
    @Autowired
    ConnectFlow connectFlow;

    @Test
    void aChangeWhoseTransactionRollsBackLeavesNoOutboxRow() {
        endpoint("/outbox/rollback");
        String rolledBack = uniqueUser();
        transactions.executeWithoutResult(status -> {
            credential(tenant, rolledBack, Map.of());
            assertThat(eventsAbout(rolledBack)).as("written inside the transaction").isEqualTo(1);
            status.setRollbackOnly();
        });
        String failed = uniqueUser();
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            credential(tenant, failed, Map.of());
            throw new IllegalStateException("something after the change failed");
        })).hasMessage("something after the change failed");

        for (String user : List.of(rolledBack, failed)) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM credentials c JOIN end_users e ON e.id = c.end_user_id "
                    + "WHERE e.external_id = ?", Long.class, user)).as("the change itself is gone").isZero();
            assertThat(eventsAbout(user)).as("and so is its event").isZero();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries d LEFT JOIN webhook_events e "
                + "ON e.id = d.event_id WHERE e.id IS NULL", Long.class)).isZero();
    }

    @Test
    void everyCommittedChangeHasExactlyItsEventAndADeliveryPerSubscribedEndpoint() {
        TestTenant own = newTenant("whe");
        IssuedSecret one = endpoint(own, "/outbox/one");
        IssuedSecret two = endpoint(own, "/outbox/two", "credential.created");
        endpoint(own, "/outbox/other-type", "credential.revoked");
        String prefix = uniqueUser();
        for (int i = 0; i < 20; i++) {
            credential(own, prefix + "-" + i, Map.of());
        }
        var rows = jdbc.queryForList("""
                SELECT e.id, e.payload::jsonb -> 'data' ->> 'credentialId' AS credential,
                       (SELECT count(*) FROM webhook_deliveries d WHERE d.event_id = e.id) AS deliveries,
                       (SELECT count(*) FROM credentials c WHERE c.id = e.payload::jsonb -> 'data' ->> 'credentialId'
                            AND c.tenant_id = e.tenant_id) AS changes
                FROM webhook_events e
                WHERE e.tenant_id = ? AND e.payload::jsonb -> 'data' ->> 'endUserId' LIKE ?""", own.id(), prefix + "-%");
        assertThat(rows).hasSize(20).allSatisfy(row -> {
            assertThat(row.get("deliveries")).isEqualTo(2L);
            assertThat(row.get("changes")).isEqualTo(1L);
        });
        assertThat(rows).extracting(row -> row.get("credential")).doesNotHaveDuplicates();
        eventually().until(() -> received("/outbox/one").size() >= 20 && received("/outbox/two").size() >= 20);
        assertThat(one.endpoint().id()).isNotEqualTo(two.endpoint().id());
    }

    @Test
    void withoutASubscribedEndpointNothingIsWritten() {
        TestTenant quiet = newTenant("whq");
        credential(quiet, uniqueUser(), Map.of());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_events WHERE tenant_id = ?", Long.class, quiet.id()))
                .isZero();
    }

    @Test
    void publishingACredentialEventOutsideATransactionIsRefused() {
        var event = new CredentialEvents.Created(tenant.id(), "cred_not_stored", CONNECTOR, "nobody",
                CredentialStatus.ACTIVE, Map.of());
        assertThatThrownBy(() -> context.publishEvent(event)).isInstanceOf(IllegalTransactionStateException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_events WHERE payload LIKE '%cred_not_stored%'",
                Long.class)).isZero();
    }

    @Test
    void aRefreshTheProviderRefusesWritesItsEventInTheRefreshersTransaction() {
        endpoint("/outbox/refresh", "credential.refresh_failed");
        receiver.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
        String appKey = asAdmin(() -> {
            var saved = customConnectors.save(tenant.id(), customConnectors.parse("""
                    appKey: wh-oauth-%s
                    name: Webhook OAuth
                    category: CRM
                    authMode: OAUTH2_AUTHORIZATION_CODE
                    oauth:
                      authorizationUrl: %s/oauth/authorize
                      tokenUrl: %s/oauth/token
                      clientAuthentication: client_secret_post
                      pkce: false
                    api:
                      baseUrl: %s/api
                      auth:
                        type: BEARER
                    metadata:
                      - key: venue
                        label: Venue
                        type: STRING
                    """.formatted(UUID.randomUUID().toString().substring(0, 6), receiver.baseUrl(), receiver.baseUrl(),
                    receiver.baseUrl())));
            integrations.update(tenant.id(), saved.appKey(), new IntegrationUpdate(true, "client", "client-secret", List.of()));
            return saved.appKey();
        });
        String user = uniqueUser();
        String id = asAdmin(() -> credentials.create(tenant.id(), new NewCredential(appKey, user, null, null, null, null,
                Map.of("venue", "Hall 1"), new NewCredential.Tokens("expired-access", "dead-refresh", "Bearer",
                        Instant.now().minus(5, ChronoUnit.MINUTES), List.of(), null))).id());

        assertThatThrownBy(() -> asAdmin(() -> resolver.access(tenant.id(), id))).isInstanceOf(RefreshFailedException.class);

        eventually().until(() -> typesFor("/outbox/refresh", id).size() == 1);
        JsonNode data = received("/outbox/refresh").stream().map(WebhookTestSupport::json)
                .filter(j -> id.equals(j.get("data").get("credentialId").asString())).findFirst().orElseThrow().get("data");
        assertThat(data.get("status").asString()).isEqualTo("REFRESH_FAILED");
        assertThat(data.get("error").asString()).isEqualTo("invalid_grant");
        assertThat(data.get("metadata").get("venue").asString()).isEqualTo("Hall 1");
        assertThat(received("/outbox/refresh").stream().map(r -> r.getBodyAsString()))
                .noneMatch(body -> body.contains("dead-refresh") || body.contains("expired-access"));
    }

    @Test
    void aCompletedConnectSessionWritesItsEventAfterTheCredentialsOwn() {
        endpoint("/outbox/connect");
        String appKey = asAdmin(() -> {
            var saved = customConnectors.save(tenant.id(), customConnectors.parse("""
                    appKey: wh-keys-%s
                    name: Webhook Keys
                    category: PRODUCTIVITY
                    authMode: API_KEY
                    api:
                      baseUrl: %s/provider
                      auth:
                        type: HEADER
                        headerName: X-Api-Key
                        template: "{apiKey}"
                    fields:
                      - key: apiKey
                        label: API key
                        secret: true
                    testRequest:
                      method: GET
                      path: /me
                    """.formatted(UUID.randomUUID().toString().substring(0, 6), receiver.baseUrl())));
            integrations.update(tenant.id(), saved.appKey(), new IntegrationUpdate(true, null, null, List.of()));
            return saved.appKey();
        });
        receiver.stubFor(get(urlEqualTo("/provider/me")).willReturn(aResponse().withStatus(200)));
        String user = uniqueUser();
        var session = asAdmin(() -> connectSessions.create(tenant.id(), new NewConnectSession(
                new NewConnectSession.EndUser(user, null, null), null, null, null, null, null)));

        // The end user is anonymous, as on the connect page.
        context.getBean(SecurityContextHolderStrategy.class).clearContext();
        var connected = connectFlow.submit(connectFlow.open(session.token()).orElseThrow(), appKey,
                Map.of("apiKey", "end-user-key"), Map.of());

        eventually().until(() -> typesFor("/outbox/connect", connected.credentialId()).size() == 2);
        assertThat(typesFor("/outbox/connect", connected.credentialId()))
                .containsExactly("credential.created", "connect_session.completed");
        JsonNode completed = received("/outbox/connect").stream().map(WebhookTestSupport::json)
                .filter(j -> j.get("type").asString().equals("connect_session.completed")
                        && j.get("data").get("credentialId").asString().equals(connected.credentialId()))
                .findFirst().orElseThrow();
        assertThat(completed.get("data").get("connectSessionId").asString()).isEqualTo(session.sessionId());
        assertThat(completed.get("data").get("endUserId").asString()).isEqualTo(user);
        assertThat(completed.get("data").get("reconnect").asBoolean()).isFalse();
        assertThat(completed.get("data").get("status").asString()).isEqualTo("ACTIVE");
        assertThat(received("/outbox/connect").stream().map(r -> r.getBodyAsString()))
                .noneMatch(body -> body.contains("end-user-key"));
    }

    private long eventsAbout(String endUser) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM webhook_events WHERE payload::jsonb -> 'data' ->> 'endUserId' = ?",
                Long.class, endUser);
        return count == null ? 0 : count;
    }
}
