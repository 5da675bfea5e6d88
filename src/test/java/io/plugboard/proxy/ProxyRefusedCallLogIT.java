package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.dashboard.DashboardOverview.CallSummary;
import io.plugboard.dashboard.DashboardScope;
import io.plugboard.dashboard.DashboardService;
import io.plugboard.dashboard.RollUpEverything;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls Plugboard refuses before the provider is reached are in the call log too, with the status and problem
 * type the caller got, without marking any credential as used, and counted by the dashboard by that status.
 */
@PlugboardTest
class ProxyRefusedCallLogIT extends ProxyTestSupport {

    private static final String KEYS = "refusal-keys";
    private static final String OAUTH = "refusal-oauth";

    @BeforeAll
    void connectors() {
        apiKeyConnector(KEYS, """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        oauthConnector(OAUTH);
    }

    @Test
    void anUnknownCredentialLeavesARowWithoutConnector() {
        var response = call("GET", "/items?secret-search=top", "cred_nothing_by_this_id", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(callLogRow(requestId(response))).containsEntry("tenant_id", tenant.id())
                .containsEntry("credential_id", "cred_nothing_by_this_id").containsEntry("app_key", null)
                .containsEntry("status", 404).containsEntry("problem", "credential-not-found")
                .containsEntry("method", "GET").containsEntry("path", "/items?secret-search=")
                .containsEntry("source", "API").containsEntry("actor", "api:tenant").containsEntry("bytes_out", 0L);
        assertThat(received()).isEmpty();
    }

    @Test
    void anotherTenantsCredentialIsLoggedForTheCallerWithoutItsConnectorAndStaysUnused() {
        TestTenant other = TestTenants.create(context, "refusalother");
        apiKeyConnector(other, KEYS, """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        String theirs = credential(other, KEYS, "their-user", Map.of("apiKey", "theirs"), null);

        var response = call("GET", "/items", theirs, null);

        assertThat(response.statusCode()).isEqualTo(404);
        // The connector is looked up in the caller's tenant only: nothing about the other tenant's credential leaks.
        assertThat(callLogRow(requestId(response))).containsEntry("tenant_id", tenant.id())
                .containsEntry("credential_id", theirs).containsEntry("app_key", null).containsEntry("status", 404);
        assertThat(lastUsed(theirs)).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM proxy_calls WHERE tenant_id = ?", Long.class,
                other.id())).isZero();
    }

    @Test
    void aRevokedCredentialLeavesA409RowWithItsConnectorAndItsLastUseUnchanged() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "soon-revoked"));
        callLogRow(requestId(call("GET", "/before", id, null)));
        OffsetDateTime usedBefore = lastUsed(id);
        assertThat(usedBefore).isNotNull();
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), id));
        provider.resetRequests();

        var response = call("POST", "/after", id, "{\"a\":1}".getBytes());

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(callLogRow(requestId(response))).containsEntry("credential_id", id).containsEntry("app_key", KEYS)
                .containsEntry("status", 409).containsEntry("problem", "credential-revoked")
                .containsEntry("method", "POST").containsEntry("bytes_in", 0L).containsEntry("retries", 0);
        assertThat(lastUsed(id)).isEqualTo(usedBefore);
        assertThat(received()).isEmpty();
    }

    @Test
    void aBadRetriesHeaderIsLoggedAsRefused() {
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "k"));

        var response = call("GET", "/items", id, null, "X-Plugboard-Retries", "many");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(callLogRow(requestId(response))).containsEntry("credential_id", id).containsEntry("app_key", KEYS)
                .containsEntry("status", 400).containsEntry("problem", "invalid-retries");
        assertThat(lastUsed(id)).isNull();
    }

    @Test
    void aFailedTokenRefreshIsLoggedWithTheStatusTheCallerGot() {
        String id = oauthCredential(OAUTH, "expired", "refresh", Instant.now().minus(5, ChronoUnit.MINUTES));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)));

        var response = call("GET", "/contacts", id, null);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(callLogRow(requestId(response))).containsEntry("app_key", OAUTH).containsEntry("status", 502)
                .containsEntry("problem", "token-refresh-failed");
        assertThat(lastUsed(id)).isNull();
    }

    @Test
    void aCallThatReachedTheProviderHasNoProblemAndMarksTheCredentialUsed() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "k"));

        var response = call("GET", "/missing", id, null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(callLogRow(requestId(response))).containsEntry("status", 404).containsEntry("problem", null);
        assertThat(lastUsed(id)).isNotNull();
    }

    @Test
    void theConsoleHistoryListsARefusedRunWithItsProblem() {
        String id = apiKeyCredential(KEYS, Map.of("apiKey", "k"));
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), id));
        var request = new ApiConsole.ConsoleRequest("GET", "/me", null, Map.of(), null);

        ConsoleRun run = asAdmin(tenant, () -> context.getBean(ApiConsole.class).run(tenant.id(), id, request));

        assertThat(run.status()).isEqualTo(409);
        assertThat(run.error()).isNotBlank();
        var history = asAdmin(tenant, () -> context.getBean(CallHistory.class).recentPortalCalls(tenant.id(), 50));
        assertThat(history).filteredOn(c -> c.credentialId().equals(id)).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(409);
            assertThat(c.problem()).isEqualTo("credential-revoked");
            assertThat(c.appKey()).isEqualTo(KEYS);
            assertThat(c.actor()).isEqualTo(tenant.adminEmail());
        });
        assertThat(callLogRow(run.requestId())).containsEntry("source", "PORTAL");
        assertThat(jdbc.queryForObject("SELECT last_check_status FROM credentials WHERE id = ?", Integer.class, id))
                .as("a refused call checked nothing").isNull();
    }

    @Test
    void theDashboardCountsRefusedCallsByTheStatusTheCallerGot() {
        String revoked = apiKeyCredential(KEYS, Map.of("apiKey", "k"));
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), revoked));
        String expiring = oauthCredential(OAUTH, "expired", "refresh", Instant.now().minus(5, ChronoUnit.MINUTES));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)));
        CallSummary before = callsToday();

        logged(call("GET", "/x", "cred_unknown_for_dashboard", null));
        logged(call("GET", "/x", revoked, null));
        logged(call("GET", "/x", expiring, null));
        CallSummary live = callsToday();
        RollUpEverything.now(context);
        CallSummary rolledUp = callsToday();

        for (CallSummary after : new CallSummary[] {live, rolledUp}) {
            assertThat(after.calls() - before.calls()).isEqualTo(3);
            assertThat(after.clientErrors() - before.clientErrors()).as("404 and 409").isEqualTo(2);
            assertThat(after.errors() - before.errors()).as("502").isEqualTo(1);
            assertThat(after.ok()).isEqualTo(before.ok());
        }
    }

    private CallSummary callsToday() {
        return asAdmin(tenant, () -> context.getBean(DashboardService.class).overview(DashboardScope.tenant(tenant.id())))
                .calls();
    }

    private void logged(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);
        callLogRow(requestId(response));
    }

    private @Nullable OffsetDateTime lastUsed(String credentialId) {
        return jdbc.queryForObject("SELECT last_used_at FROM credentials WHERE id = ?", OffsetDateTime.class,
                credentialId);
    }
}
