package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Bulk revoke of credentials whose provider hangs: the admin's request is not held for the providers. Each credential
 * is revoked here at once and queued for the provider, and the worker, woken by the revoke, makes the attempts
 * afterwards, side by side.
 */
@PlugboardTest
class BulkRevocationIT extends ProxyTestSupport {

    private static final int COUNT = 20;
    private static final int DELAY_MS = 5_000;

    @Autowired
    ProviderRevocations revocations;

    private String revocable(String appKey, String path) {
        return connector("""
                appKey: %s
                name: %s
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
                """.formatted(appKey, appKey, provider.baseUrl(), provider.baseUrl(), provider.baseUrl(), path,
                provider.baseUrl()));
    }

    private String credential(String appKey, String refreshToken) {
        return oauthCredential(appKey, "at-" + UUID.randomUUID(), refreshToken, Instant.now().plus(1, ChronoUnit.HOURS));
    }

    @Test
    void bulkRevokeOfAHangingProviderReturnsAtOnceAndEachIsRevokedAtTheProviderAfterwards() throws Exception {
        String app = revocable("hanging-revoke", "/hanging/revoke");
        provider.stubFor(post(urlEqualTo("/hanging/revoke")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(DELAY_MS)));
        List<String> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String token = "rt-bulk-" + UUID.randomUUID();
            tokens.add(token);
            ids.add(credential(app, token));
        }

        long started = System.nanoTime();
        int revoked = asAdmin(tenant, () -> credentials.revokeAll(tenant.id(), ids));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(revoked).isEqualTo(COUNT);
        assertThat(took).as("the request is not held for the provider").isLessThan(Duration.ofSeconds(3));
        for (String id : ids) {
            CredentialView view = asAdmin(tenant, () -> credentials.get(tenant.id(), id));
            assertThat(view.status()).isEqualTo(CredentialStatus.REVOKED);
            assertThat(view.providerRevocation()).isNotNull();
            assertThat(view.providerRevocation().status()).isEqualTo(ProviderRevocationStatus.PENDING);
            assertThat(jdbc.queryForObject("SELECT secret IS NULL FROM credentials WHERE id = ?", Boolean.class, id))
                    .as("the secret is destroyed at once").isTrue();
        }

        // Side by side: 20 attempts of 5 s each in two batches take about 10 s, not 100 s.
        Instant deadline = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(deadline) && ids.stream().anyMatch(id -> revocations.find(tenant.id(), id)
                .orElseThrow().status() == ProviderRevocationStatus.PENDING)) {
            Thread.sleep(250);
        }
        System.out.printf("Bulk revoke of %d credentials (provider delays %d ms): returned in %d ms, all done at the "
                + "provider %d ms after the start%n", COUNT, DELAY_MS, took.toMillis(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        for (String id : ids) {
            ProviderRevocationState state = revocations.find(tenant.id(), id).orElseThrow();
            assertThat(state.status()).as(id).isEqualTo(ProviderRevocationStatus.DONE);
            assertThat(state.attempts()).isEqualTo(1);
        }
        var sent = provider.findAll(postRequestedFor(urlEqualTo("/hanging/revoke")));
        assertThat(sent).hasSize(COUNT);
        for (String token : tokens) {
            assertThat(sent).filteredOn(r -> r.getBodyAsString().contains("token=" + token)).hasSize(1);
        }
    }

    @Test
    void aSingleRevokeStillTriesTheProviderBeforeItReturns() {
        String app = revocable("single-revoke", "/single/revoke");
        provider.stubFor(post(urlEqualTo("/single/revoke")).willReturn(aResponse().withStatus(200)));
        String id = credential(app, "rt-" + UUID.randomUUID());

        CredentialView view = asAdmin(tenant, () -> credentials.revoke(tenant.id(), id));

        assertThat(view.status()).isEqualTo(CredentialStatus.REVOKED);
        assertThat(view.providerRevocation().status()).isEqualTo(ProviderRevocationStatus.DONE);
        assertThat(view.providerRevocation().attempts()).isEqualTo(1);
        assertThat(provider.findAll(postRequestedFor(urlEqualTo("/single/revoke")))).hasSize(1);
    }
}
