package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A provider slower than the read timeout is a 504, and retries stop at the time budget. Its own application
 * context with a one-second read timeout and a 2.5-second budget (a *ContextIT: it runs in a JVM of its own).
 */
@PlugboardTest
@TestPropertySource(properties = {"plugboard.proxy.read-timeout=1s", "plugboard.proxy.retry-budget=2500ms"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProxyTimeoutsContextIT extends ProxyTestSupport {

    private String credential;

    @BeforeAll
    void connector() {
        apiKeyConnector("slow-keys", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        credential = apiKeyCredential("slow-keys", Map.of("apiKey", "k"));
    }

    @Test
    void aProviderSlowerThanTheReadTimeoutIs504() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(4_000)));

        var response = call("GET", "/slow", credential, null, "X-Plugboard-Retries", "0");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(problemType(response)).isEqualTo("provider-timeout");
        assertThat(response.headers().firstValue("X-Plugboard-Request-Id")).isPresent();
        assertThat(received()).hasSize(1);
    }

    @Test
    void aTimedOutPostIsNotSentAgainButAnIdempotentCallIs() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(4_000)));

        var post = call("POST", "/slow", credential, "{}".getBytes(), "X-Plugboard-Retries", "1");
        assertThat(post.statusCode()).isEqualTo(504);
        assertThat(received()).hasSize(1);

        provider.resetRequests();
        var get = call("GET", "/slow", credential, null, "X-Plugboard-Retries", "1");
        assertThat(get.statusCode()).isEqualTo(504);
        assertThat(received()).hasSize(2);
    }

    @Test
    void retriesStopAtTheTimeBudgetBeforeTheCallersCount() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));

        var response = call("GET", "/busy", credential, null, "X-Plugboard-Retries", "5");

        assertThat(response.statusCode()).isEqualTo(503);
        // Waits of one second fit twice into 2.5 s (once if the machine is very slow), never five times.
        assertThat(received()).hasSizeBetween(2, 3);
    }
}
