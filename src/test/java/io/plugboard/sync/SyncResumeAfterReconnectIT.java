package io.plugboard.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.credential.NewCredential;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A sync paused because its credential could not be used resumes by itself when the credential is reconnected
 * (on the connect page, or through {@code CredentialService.reconnect}, which the connect page, the portal and the
 * API all call), from its checkpoint; one a tenant admin paused stays paused.
 */
@PlugboardTest
class SyncResumeAfterReconnectIT extends SyncTestSupport {

    private String appKey;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = followUpBoss(tenant);
    }

    @Test
    void aSyncPausedForItsCredentialResumesFromItsCheckpointOnceTheCredentialIsReconnected() {
        String credential = synced(tenant, appKey, "people");
        stubPeople(null, 1, ok("people-page-1.json"));
        stubPeople(PAGE_2, 2, failing());
        runDue();
        // The provider refused the token for good: the credential needs reconnecting and the sync pauses for it.
        jdbc.update("UPDATE credentials SET status = 'REFRESH_FAILED' WHERE id = ?", credential);
        jdbc.update("UPDATE sync_states SET next_run_at = now() WHERE credential_id = ?", credential);
        runDue();
        JsonNode paused = status(credential).path("models").get(0);
        assertThat(paused.path("state").asString()).isEqualTo("paused");
        assertThat(paused.path("pausedReason").asString()).isEqualTo("credential");
        assertThat(paused.path("lastError").asString()).contains("resumes once it is reconnected");

        reconnectOnTheConnectPage(credential);

        JsonNode resumed = status(credential).path("models").get(0);
        assertThat(resumed.path("state").asString()).isEqualTo("failing");
        assertThat(resumed.path("pausedReason").isNull()).isTrue();
        Map<String, Object> audit = jdbc.queryForMap("SELECT actor_type, reason, details FROM audit_events "
                + "WHERE action = 'sync.resumed' AND target_id = ? ORDER BY seq DESC LIMIT 1", credential);
        assertThat(audit).containsEntry("actor_type", "SYSTEM").containsEntry("reason", "credential reconnected");
        assertThat(JSON.readTree((String) audit.get("details")).path("models").asInt()).isEqualTo(1);

        provider.resetAll();
        stubPeople(null, 1, failing());
        stubPeople(PAGE_2, 2, ok("people-page-2.json"));
        stubPeople(PAGE_3, 3, ok("people-page-3.json"));
        runDue();

        assertThat(rows("synced_people", credential)).isEqualTo(5);
        assertThat(peopleRequests()).extracting(r -> r.getRequest().queryParameter("next").firstValue())
                .as("carried on from the checkpoint").containsExactly(PAGE_2, PAGE_3);
        assertThat(status(credential).path("models").get(0).path("phase").asString()).isEqualTo("incremental");
    }

    @Test
    void aSyncAnAdminPausedStaysPausedWhenTheCredentialIsReconnected() {
        String credential = synced(tenant, appKey, "people");
        assertOk(api("POST", credential, "/pause", null));
        jdbc.update("UPDATE credentials SET status = 'REFRESH_FAILED' WHERE id = ?", credential);

        reconnect(credential);

        JsonNode state = status(credential).path("models").get(0);
        assertThat(state.path("state").asString()).isEqualTo("paused");
        assertThat(state.path("pausedReason").asString()).isEqualTo("admin");
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE target_id = ? ORDER BY seq", String.class,
                credential)).contains("credential.reconnected").doesNotContain("sync.resumed");
        assertThat(ours(worker.claim(100))).noneMatch(c -> c.credentialId().equals(credential));
    }

    @Test
    void aSyncWhoseCredentialIsReconnectedWhileNotPausedIsLeftAsItWas() {
        String credential = synced(tenant, appKey, "people");

        reconnect(credential);

        assertThat(status(credential).path("models").get(0).path("state").asString()).isEqualTo("scheduled");
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE target_id = ? ORDER BY seq", String.class,
                credential)).doesNotContain("sync.resumed");
    }

    /** The end user reconnects through a connect session the tenant created for that credential. */
    private void reconnectOnTheConnectPage(String credential) {
        String endUser = jdbc.queryForObject("SELECT e.external_id FROM credentials c JOIN end_users e "
                + "ON e.id = c.end_user_id WHERE c.id = ?", String.class, credential);
        var created = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/connect-sessions"))
                .header("Authorization", "Bearer " + jwt()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "endUser", Map.of("id", endUser), "reconnectCredentialId", credential))))
                .build());
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        ConnectFlow flow = context.getBean(ConnectFlow.class);
        var opened = flow.open(json(created).path("token").asString()).orElseThrow();
        assertThat(flow.submit(opened, appKey, Map.of("apiKey", "fub-api-key-2"), Map.of()).credentialId())
                .isEqualTo(credential);
        assertThat(jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, credential))
                .isEqualTo("ACTIVE");
    }

    private void reconnect(String credential) {
        asAdmin(tenant, () -> credentials.reconnect(tenant.id(), credential, new NewCredential(appKey, "ignored",
                null, null, null, Map.of("apiKey", "fub-api-key-2"), null, null)));
        assertThat(jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, credential))
                .isEqualTo("ACTIVE");
    }
}
