package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.zaxxer.hikari.HikariDataSource;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

/**
 * Token refresh on the proxy's hot path, against WireMock as the provider's token endpoint and API: an
 * expired token is refreshed once before the call, a 401 causes one refresh and one retry, a refused
 * refresh token marks the credential REFRESH_FAILED (audit row and application event), and the background
 * refresh brings it back after the cooldown.
 */
@PlugboardTest
class ProxyTokenRefreshIT extends ProxyTestSupport {

    private static final String APP = "refresh-crm";

    @Autowired
    TokenRefresher refresher;
    @Autowired
    CredentialStore store;
    @Autowired
    RefreshProperties refreshProperties;
    @Autowired
    DataSource dataSource;

    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final ApplicationListener<PayloadApplicationEvent<?>> listener = e -> {
        if (e.getPayload() instanceof CredentialEvents.RefreshFailed || e.getPayload() instanceof CredentialEvents.RefreshRecovered) {
            events.add(e.getPayload());
        }
    };

    @BeforeAll
    void addConnector() {
        oauthConnector(APP);
    }

    @BeforeEach
    void listen() {
        ((ConfigurableApplicationContext) context).addApplicationListener(listener);
    }

    @AfterEach
    void stopListening() {
        ((ConfigurableApplicationContext) context).removeApplicationListener(listener);
        events.clear();
    }

    private static String tokenResponse(String accessToken, String refreshToken) {
        return """
                {"access_token": "%s", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "%s"}"""
                .formatted(accessToken, refreshToken);
    }

    private void tokenEndpointIssues(String accessToken, String refreshToken) {
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(tokenResponse(accessToken, refreshToken))));
    }

    private void apiAccepts(String accessToken) {
        provider.stubFor(any(urlPathEqualTo("/api/contacts")).atPriority(10)
                .willReturn(aResponse().withStatus(401).withBody("bad token")));
        provider.stubFor(any(urlPathEqualTo("/api/contacts")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + accessToken))
                .willReturn(aResponse().withStatus(200).withBody("contacts")));
    }

    private List<ServeEvent> tokenRequests() {
        return received().stream().filter(e -> e.getRequest().getUrl().equals("/oauth/token")).toList();
    }

    private List<ServeEvent> apiRequests() {
        return received().stream().filter(e -> e.getRequest().getUrl().startsWith("/api/")).toList();
    }

    private String status(String credentialId) {
        return jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, credentialId);
    }

    private long auditRows(String action, String credentialId) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = ? AND target_id = ?", Long.class,
                action, credentialId);
    }

    @Test
    void anExpiredTokenIsRefreshedExactlyOnceBeforeTheCallAndTheNewTokenIsUsed() {
        String id = oauthCredential(APP, "old-access", "refresh-1", Instant.now().minus(1, ChronoUnit.HOURS));
        tokenEndpointIssues("new-access", "refresh-2");
        apiAccepts("new-access");

        var first = call("GET", "/contacts", id, null);
        var second = call("GET", "/contacts", id, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(text(first)).isEqualTo("contacts");
        assertThat(second.statusCode()).isEqualTo(200);
        var tokens = tokenRequests();
        assertThat(tokens).hasSize(1);
        assertThat(tokens.getFirst().getRequest().getBodyAsString())
                .contains("grant_type=refresh_token").contains("refresh_token=refresh-1");
        var calls = apiRequests();
        assertThat(calls).hasSize(2).allSatisfy(e ->
                assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer new-access"));
        assertThat(received().indexOf(tokens.getFirst())).isLessThan(received().indexOf(calls.getFirst()));
        assertThat(status(id)).isEqualTo("ACTIVE");
        assertThat(jdbc.queryForObject("SELECT expires_at > now() FROM credentials WHERE id = ?", Boolean.class, id))
                .isTrue();
    }

    /**
     * More calls than the pool has connections wait for one slow refresh. They must wait holding no database
     * connection: if each kept one, the pool would be empty while the refreshing call still needs it. Looks at
     * the pool while the refresh is in flight, after the calls have had time to arrive, and takes the fewest
     * connections seen in use: calls still arriving borrow one briefly, but only a held one stays in use.
     */
    @Test
    void callsWaitingForARefreshHoldNoDatabaseConnection() throws Exception {
        var pool = dataSource.unwrap(HikariDataSource.class);
        int calls = pool.getMaximumPoolSize() * 2;
        String id = oauthCredential(APP, "slow-old", "refresh-slow", Instant.now().minus(1, ChronoUnit.HOURS));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200).withFixedDelay(6_000)
                .withHeader("Content-Type", "application/json").withBody(tokenResponse("slow-new", "refresh-slow-2"))));
        apiAccepts("slow-new");
        String token = jwt();

        int fewestInUse = Integer.MAX_VALUE;
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                responses.add(CompletableFuture.supplyAsync(() -> call(port, token, "GET", "/contacts", id, null), executor));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tokenRequests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(1_500);
            // The refresh is still in flight for a few seconds; the other calls are waiting for it meanwhile.
            for (int sample = 0; sample < 40; sample++) {
                fewestInUse = Math.min(fewestInUse, pool.getHikariPoolMXBean().getActiveConnections());
                Thread.sleep(50);
            }
            CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }

        assertThat(responses).extracting(r -> r.join().statusCode()).containsOnly(200);
        assertThat(tokenRequests()).hasSize(1);
        // The refreshing call holds one (and a call-log flush may hold another); had each waiting call kept one,
        // the whole pool would have stayed in use.
        assertThat(fewestInUse).as("connections in use while %d calls waited for the refresh", calls - 1)
                .isLessThanOrEqualTo(3);
    }

    @Test
    void aProvider401CausesOneRefreshAndOneRetry() {
        String id = oauthCredential(APP, "revoked-at-provider", "refresh-a", Instant.now().plus(1, ChronoUnit.HOURS));
        tokenEndpointIssues("fresh-after-401", "refresh-b");
        apiAccepts("fresh-after-401");

        var response = call("GET", "/contacts?page=1", id, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("contacts");
        assertThat(tokenRequests()).hasSize(1);
        assertThat(apiRequests()).extracting(e -> e.getRequest().getHeader("Authorization"))
                .containsExactly("Bearer revoked-at-provider", "Bearer fresh-after-401");
    }

    @Test
    void aProviderThatKeepsAnswering401GetsOneRefreshAndOneRetryThenThe401IsPassedBack() {
        String id = oauthCredential(APP, "rejected-1", "refresh-x", Instant.now().plus(1, ChronoUnit.HOURS));
        tokenEndpointIssues("rejected-2", "refresh-y");
        apiAccepts("never-this-one");

        var response = call("GET", "/contacts", id, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(text(response)).isEqualTo("bad token");
        assertThat(tokenRequests()).hasSize(1);
        assertThat(apiRequests()).hasSize(2);
    }

    @Test
    void invalidGrantMarksTheCredentialRefreshFailedWithAuditAndEventAndIsNotHammered() {
        String id = oauthCredential(APP, "expired-access", "dead-refresh", Instant.now().minus(5, ChronoUnit.MINUTES));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": \"invalid_grant\", \"error_description\": \"refresh token revoked\"}")));
        apiAccepts("anything");

        var response = call("GET", "/contacts", id, null);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        assertThat(problemType(response)).isEqualTo("refresh_failed");
        assertThat(status(id)).isEqualTo("REFRESH_FAILED");
        assertThat(jdbc.queryForObject("SELECT refresh_failed_at IS NOT NULL FROM credentials WHERE id = ?",
                Boolean.class, id)).isTrue();
        assertThat(auditRows("credential.refresh_failed", id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE action = 'credential.refresh_failed' "
                + "AND target_id = ?", String.class, id)).contains("invalid_grant").doesNotContain("dead-refresh");
        assertThat(events).singleElement().isInstanceOfSatisfying(CredentialEvents.RefreshFailed.class, e -> {
            assertThat(e.credentialId()).isEqualTo(id);
            assertThat(e.tenantId()).isEqualTo(tenant.id());
            assertThat(e.appKey()).isEqualTo(APP);
            assertThat(e.error()).isEqualTo("invalid_grant");
        });

        var again = call("GET", "/contacts", id, null);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(problemType(again)).isEqualTo("refresh_failed");
        assertThat(tokenRequests()).as("a broken credential is not hammered").hasSize(1);
        assertThat(apiRequests()).isEmpty();
        assertThat(auditRows("credential.refresh_failed", id)).isEqualTo(1);
    }

    @Test
    void aTransientTokenEndpointFailureBacksOffWithoutChangingTheStatus() {
        String id = oauthCredential(APP, "expired-access", "good-refresh", Instant.now().minus(5, ChronoUnit.MINUTES));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503).withBody("down")));

        var response = call("GET", "/contacts", id, null);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(problemType(response)).isEqualTo("token-refresh-failed");
        assertThat(status(id)).isEqualTo("ACTIVE");
        assertThat(jdbc.queryForObject("SELECT refresh_retry_at > now() FROM credentials WHERE id = ?",
                Boolean.class, id)).isTrue();
        assertThat(auditRows("credential.refresh_failed", id)).isZero();
        assertThat(events).isEmpty();
        assertThat(apiRequests()).isEmpty();
    }

    @Test
    void aFailedCredentialRecoversToActiveThroughTheBackgroundRefreshAfterItsCooldown() {
        String id = oauthCredential(APP, "expired-access", "flaky-refresh", Instant.now().minus(5, ChronoUnit.MINUTES));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\": \"invalid_grant\"}")));
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(409);
        assertThat(status(id)).isEqualTo("REFRESH_FAILED");

        Instant now = Instant.now();
        Instant failedBefore = now.minus(refreshProperties.cooldown());
        assertThat(store.dueForRefresh(now, failedBefore, now, 10_000)).as("still in its cooldown")
                .noneMatch(row -> id.equals(row[1]));

        provider.resetAll();
        tokenEndpointIssues("recovered-access", "recovered-refresh");
        apiAccepts("recovered-access");
        jdbc.update("UPDATE credentials SET refresh_failed_at = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minus(refreshProperties.cooldown()).minusMinutes(1), id);
        assertThat(store.dueForRefresh(now, failedBefore, now, 10_000)).as("cooldown over")
                .anyMatch(row -> id.equals(row[1]));

        refresher.refreshInBackground(tenant.id(), id);

        assertThat(tokenRequests()).hasSize(1);
        assertThat(status(id)).isEqualTo("ACTIVE");
        assertThat(jdbc.queryForObject("SELECT refresh_failed_at IS NULL FROM credentials WHERE id = ?",
                Boolean.class, id)).isTrue();
        assertThat(auditRows("credential.refresh_recovered", id)).isEqualTo(1);
        assertThat(events).filteredOn(CredentialEvents.RefreshRecovered.class::isInstance).singleElement()
                .isInstanceOfSatisfying(CredentialEvents.RefreshRecovered.class, e -> assertThat(e.credentialId()).isEqualTo(id));

        var response = call("GET", "/contacts", id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(apiRequests()).singleElement().satisfies(e ->
                assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer recovered-access"));
        assertThat(tokenRequests()).hasSize(1);
    }

    @Test
    void aCredentialThatIsStillFreshIsNotRefreshed() {
        String id = oauthCredential(APP, "valid-access", "unused-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
        tokenEndpointIssues("should-not-be-issued", "x");
        provider.stubFor(get(urlPathEqualTo("/api/contacts")).willReturn(aResponse().withStatus(200).withBody("ok")));

        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);

        assertThat(tokenRequests()).isEmpty();
        assertThat(apiRequests()).singleElement().satisfies(e ->
                assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer valid-access"));
    }
}
