package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A connect link connects one account: once its session has completed, neither the link nor a page opened
 * before the completion connects anything else, while failed attempts can be retried until one succeeds.
 */
class ConnectLinkReuseIT extends ConnectTestSupport {

    private static final String USED = "This link was already used to connect an account. Ask for a new link to "
            + "connect another.";

    private ConnectTenant tenant;

    @BeforeEach
    void tenantWithAnApiKeyConnector() {
        tenant = tenant("reuse");
        addApiKeyConnector(tenant);
        wiremock.stubFor(get("/keys/me").atPriority(5).willReturn(aResponse().withStatus(401)));
        wiremock.stubFor(get("/keys/me").atPriority(1).withHeader("X-Api-Key", equalTo(GOOD_API_KEY))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
        SecurityContextHolder.clearContext();
    }

    @Test
    void aCompletedSessionConnectsNothingElseButFailedAttemptsCanBeRetriedUntilOneSucceeds() {
        Created session = createSession(tenant, "una");
        var firstTab = open(session);
        var secondTab = open(session);

        // A wrong key, twice: refused, nothing stored, the session still pending.
        for (int i = 0; i < 2; i++) {
            var wrong = failure(() -> flow.submit(firstTab, API_KEY_APP, Map.of("apiKey", "key_typo"), Map.of()));
            assertThat(wrong.sessionId()).as("the end user may try again").isEqualTo(session.sessionId());
        }
        assertThat(sessionStatus(tenant, session.sessionId()).get("status").asString()).isEqualTo("PENDING");
        Connected connected = flow.submit(firstTab, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of());

        // The link no longer opens, and a tab opened before the completion cannot connect a second account.
        assertThat(flow.open(session.token())).isEmpty();
        assertThat(flow.resume(session.sessionId())).isEmpty();
        var again = failure(() -> flow.submit(secondTab, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of()));
        assertThat(again.getMessage()).isEqualTo(USED);
        assertThat(again.sessionId()).as("no 'try again' for a used link").isNull();
        assertThat(credentialCount(tenant.id())).isOne();
        var status = sessionStatus(tenant, session.sessionId());
        assertThat(status.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(status.get("credentialIds").size()).isOne();
        assertThat(status.get("credentialIds").get(0).asString()).isEqualTo(connected.credentialId());
    }

    @Test
    void twoTabsSubmittingAtOnceConnectOneAccount() throws Exception {
        Created session = createSession(tenant, "race");
        var tabs = List.of(open(session), open(session), open(session), open(session));
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(tabs.size());
        try {
            var outcomes = new ArrayList<Future<String>>();
            for (var tab : tabs) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return flow.submit(tab, API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of()).credentialId();
                    } catch (ConnectFailure failure) {
                        return failure.getMessage();
                    }
                }));
            }
            start.countDown();
            var results = new ArrayList<String>();
            for (var outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(r -> r.startsWith("cred_")).hasSize(1);
            assertThat(results).filteredOn(r -> !r.startsWith("cred_")).containsOnly(USED);
        } finally {
            pool.shutdownNow();
        }
        assertThat(credentialCount(tenant.id())).isOne();
        assertThat(sessionStatus(tenant, session.sessionId()).get("credentialIds").size()).isOne();
    }

    @Test
    void aCompletedSessionCannotBeRefreshedIntoANewLink() {
        Created session = createSession(tenant, "ref");
        flow.submit(open(session), API_KEY_APP, Map.of("apiKey", GOOD_API_KEY), Map.of());

        Response refused = api("POST", tenant, "/api/v1/connect-sessions/" + session.sessionId() + "/refresh", null);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).isEqualTo("The session was completed; open a new one.");
    }

    @Test
    void theTenantWideSubjectsAreRefusedAsEndUserIdsForSessionsAndImports() {
        for (String reserved : List.of("tenant", "TENANT", " tenant ", "tenant:anything", "Tenant:X")) {
            Response session = api("POST", tenant, "/api/v1/connect-sessions", Map.of("endUser", Map.of("id", reserved)));
            assertThat(session.status()).as("'" + reserved + "': " + session).isEqualTo(400);
            assertThat(session.header("Content-Type")).startsWith("application/problem+json");
            assertThat(session.json().get("detail").asString()).startsWith("endUser.id: ").contains("reserved");

            Response imported = api("POST", tenant, "/api/v1/credentials", Map.of("appKey", API_KEY_APP,
                    "endUserId", reserved, "fields", Map.of("apiKey", GOOD_API_KEY)));
            assertThat(imported.status()).as("'" + reserved + "': " + imported).isEqualTo(400);
            assertThat(imported.header("Content-Type")).startsWith("application/problem+json");
            assertThat(imported.json().get("detail").asString()).startsWith("endUserId: ").contains("reserved");
        }
        assertThat(credentialCount(tenant.id())).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connect_sessions WHERE tenant_id = ?", Integer.class,
                tenant.id())).isZero();

        for (String ordinary : List.of("tenants", "tenantx", "my-tenant")) {
            createSession(tenant, ordinary);
            Response imported = api("POST", tenant, "/api/v1/credentials", Map.of("appKey", API_KEY_APP,
                    "endUserId", ordinary, "fields", Map.of("apiKey", GOOD_API_KEY)));
            assertThat(imported.status()).as("'" + ordinary + "': " + imported).isEqualTo(201);
        }
    }
}
