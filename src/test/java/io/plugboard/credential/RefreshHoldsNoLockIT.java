package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * While a token request is in flight, the credential's row is not locked and no transaction is open for it: a
 * provider that takes its time holds no database connection, and the row stays writable (a revoke, a reconnect,
 * the next job run) meanwhile. The refresh still happens once and its token is stored.
 */
@PlugboardTest
class RefreshHoldsNoLockIT extends ProxyTestSupport {

    private static final String APP = "lockfree-crm";

    @Autowired
    TransactionTemplate transactions;

    @BeforeAll
    void addConnector() {
        oauthConnector(APP);
    }

    @Test
    void theRowIsNotLockedWhileTheTokenEndpointIsCalled() throws Exception {
        String id = oauthCredential(APP, "old-access", "refresh-1", Instant.now().minus(1, ChronoUnit.HOURS));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"access_token": "new-access", "token_type": "Bearer", "expires_in": 3600,
                         "refresh_token": "refresh-2"}""")));
        provider.stubFor(any(urlPathEqualTo("/api/contacts")).withHeader("Authorization", equalTo("Bearer new-access"))
                .willReturn(aResponse().withStatus(200).withBody("contacts")));

        CompletableFuture<HttpResponse<byte[]>> call = CompletableFuture.supplyAsync(
                () -> call("GET", "/contacts", id, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (tokenRequests() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(tokenRequests()).isEqualTo(1);

        // NOWAIT: a lock held across the token request fails this at once (55P03) instead of waiting.
        String locked = transactions.execute(status -> jdbc.queryForObject(
                "SELECT id FROM credentials WHERE id = ? FOR UPDATE NOWAIT", String.class, id));
        long openTransactions = jdbc.queryForObject("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND state LIKE 'idle in transaction%'""", Long.class);

        var response = call.get(30, TimeUnit.SECONDS);
        assertThat(locked).isEqualTo(id);
        assertThat(openTransactions).as("transactions left open while the provider answers").isZero();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("contacts");
        assertThat(tokenRequests()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT expires_at > now() FROM credentials WHERE id = ?", Boolean.class, id))
                .isTrue();
    }

    /**
     * A revoke while the token endpoint answers goes through at once (no lock to wait for), and the tokens that
     * then arrive are not written over it: the credential stays revoked, its secret destroyed, and the waiting call
     * is told so.
     */
    @Test
    void aCredentialRevokedWhileItsTokenIsRefreshedStaysRevoked() throws Exception {
        String id = oauthCredential(APP, "doomed-access", "doomed-refresh", Instant.now().minus(1, ChronoUnit.HOURS));
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"access_token": "too-late", "token_type": "Bearer", "expires_in": 3600,
                         "refresh_token": "too-late-refresh"}""")));

        CompletableFuture<HttpResponse<byte[]>> call = CompletableFuture.supplyAsync(
                () -> call("GET", "/contacts", id, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (tokenRequests() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long started = System.nanoTime();
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), id));
        Duration revoking = Duration.ofNanos(System.nanoTime() - started);

        var response = call.get(30, TimeUnit.SECONDS);
        assertThat(revoking).as("the revoke, while the token request was in flight").isLessThan(Duration.ofSeconds(2));
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, id))
                .isEqualTo("REVOKED");
        assertThat(jdbc.queryForObject("SELECT secret IS NULL AND refresh_claim IS NULL FROM credentials WHERE id = ?",
                Boolean.class, id)).isTrue();
    }

    private long tokenRequests() {
        return received().stream().filter(e -> e.getRequest().getUrl().equals("/oauth/token")).count();
    }
}
