package io.plugboard.api;

import io.plugboard.PlatformScopeForTests;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The per-tenant rate limit, with a burst small enough to use up over HTTP. Its own context (and database),
 * because the limit is fixed when the API's filter chain is built.
 */
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=false",
        "plugboard.api.rate-limit.burst=" + ApiRateLimitContextIT.BURST,
        "plugboard.api.rate-limit.requests-per-second=1",
})
class ApiRateLimitContextIT {

    static final int BURST = 5;
    private static final String PATH = "/api/v1/end-users";

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    @Test
    void aTenantOverItsBurstGets429WithRetryAfterWhileOtherTenantsCarryOn() throws InterruptedException {
        var api = new TestApi(port);
        TestTenant busy = TestTenants.create(context, "busy");
        TestTenant calm = TestTenants.create(context, "calm");
        String busyToken = TestApi.token(busy, "tenant");

        var remaining = new ArrayList<Integer>();
        for (int i = 0; i < BURST; i++) {
            var response = api.get(PATH, busyToken);
            assertThat(response.status()).as("request " + (i + 1) + " of the burst: " + response).isEqualTo(200);
            remaining.add(Integer.parseInt(response.headers().firstValue("RateLimit-Remaining").orElseThrow()));
        }
        assertThat(remaining.getFirst()).isEqualTo(BURST - 1);

        // One token comes back each second, so a few quick requests more must hit the limit.
        TestApi.Response limited = null;
        for (int i = 0; i < 5 && limited == null; i++) {
            var response = api.get(PATH, busyToken);
            if (response.status() == 429) {
                limited = response;
            }
        }
        assertThat(limited).as("a 429 after the burst").isNotNull();
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.json().path("status").asInt()).isEqualTo(429);
        int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1, 2);

        // The bucket is the tenant's, not the token's: a fresh token with another subject is limited too
        // (within a few requests, as a token may trickle back meanwhile) ...
        String freshToken = TestApi.token(busy, "another-subject");
        boolean freshLimited = false;
        for (int i = 0; i < 5 && !freshLimited; i++) {
            freshLimited = api.get(PATH, freshToken).status() == 429;
        }
        assertThat(freshLimited).as("a fresh token of the same tenant is limited").isTrue();
        // ... while another tenant has a bucket of its own.
        assertThat(api.get(PATH, TestApi.token(calm, "tenant")).status()).isEqualTo(200);

        Thread.sleep(retryAfter * 1000L + 200);
        assertThat(api.get(PATH, busyToken).status()).as("after Retry-After").isEqualTo(200);
    }

    @Test
    void requestsThatFailAuthenticationDoNotSpendTheTenantsBudget() {
        var api = new TestApi(port);
        TestTenant tenant = TestTenants.create(context, "guarded");
        String forged = TestApi.token(tenant.clientId(), "f".repeat(64), "tenant");
        for (int i = 0; i < BURST * 2; i++) {
            assertThat(api.get(PATH, forged).status()).isEqualTo(401);
        }
        assertThat(api.get(PATH, TestApi.token(tenant, "tenant")).status()).isEqualTo(200);
    }
}
