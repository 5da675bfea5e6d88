package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.plugboard.PlugboardTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retries: idempotent calls are tried again on 429/502/503/504, waiting what the provider asks for, up to the
 * caller's count and the time budget; a request that may have reached the provider is not sent twice unless
 * it is idempotent; a connection that was refused (nothing sent) is tried again for any method.
 */
@PlugboardTest
class ProxyRetryIT extends ProxyTestSupport {

    private String credential;

    @BeforeAll
    void connector() {
        apiKeyConnector("retry-keys", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        credential = apiKeyCredential("retry-keys", Map.of("apiKey", "k"));
    }

    /** Milliseconds between consecutive requests WireMock received. */
    private static List<Long> gaps(List<ServeEvent> events) {
        return java.util.stream.IntStream.range(1, events.size()).mapToObj(i ->
                events.get(i).getRequest().getLoggedDate().getTime()
                        - events.get(i - 1).getRequest().getLoggedDate().getTime()).toList();
    }

    private void failThenSucceed(String path, int... failures) {
        String state = Scenario.STARTED;
        for (int i = 0; i < failures.length; i++) {
            provider.stubFor(any(urlPathEqualTo("/api" + path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(failures[i]).withHeader("Retry-After", "1").withBody("busy"))
                    .willSetStateTo("after-" + i));
            state = "after-" + i;
        }
        provider.stubFor(any(urlPathEqualTo("/api" + path)).inScenario(path).whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(200).withBody("finally")));
    }

    @Test
    void idempotentCallsAreRetriedAfterTheRetryAfterTheProviderAskedFor() {
        failThenSucceed("/flaky", 503, 429);

        var response = call("GET", "/flaky", credential, null, "X-Plugboard-Retries", "3");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("finally");
        assertThat(received()).hasSize(3);
        // Retry-After: 1 each time; the proxy's own first backoffs would be at most 200 and 400 ms.
        assertThat(gaps(received())).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(950));
        assertThat(callLogRow(requestId(response))).containsEntry("retries", 2).containsEntry("status", 200);
    }

    @Test
    void aRateLimitResetHeaderIsHonouredLikeRetryAfter() {
        provider.stubFor(any(urlPathEqualTo("/api/limited")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("X-RateLimit-Reset", "1")).willSetStateTo("reset"));
        provider.stubFor(any(urlPathEqualTo("/api/limited")).inScenario("limited").whenScenarioStateIs("reset")
                .willReturn(aResponse().withStatus(200)));

        assertThat(call("PUT", "/limited", credential, "{}".getBytes(), "X-Plugboard-Retries", "1").statusCode())
                .isEqualTo(200);

        assertThat(received()).hasSize(2);
        assertThat(gaps(received()).getFirst()).isGreaterThanOrEqualTo(950);
    }

    @Test
    void retriesStopAtTheCallersCount() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("still down")));

        var twice = call("GET", "/down", credential, null, "X-Plugboard-Retries", "2");
        assertThat(twice.statusCode()).isEqualTo(503);
        assertThat(text(twice)).isEqualTo("still down");
        assertThat(received()).hasSize(3);

        provider.resetRequests();
        assertThat(call("GET", "/down", credential, null, "X-Plugboard-Retries", "0").statusCode()).isEqualTo(503);
        assertThat(received()).hasSize(1);
    }

    @Test
    void aRetryAfterBeyondTheTimeBudgetIsNotWaitedForAndIsPassedBack() {
        String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
        provider.stubFor(any(urlPathEqualTo("/api/seconds")).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "3600")));
        provider.stubFor(any(urlPathEqualTo("/api/date")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", httpDate)));

        var seconds = call("GET", "/seconds", credential, null, "X-Plugboard-Retries", "5");
        var date = call("GET", "/date", credential, null, "X-Plugboard-Retries", "5");

        assertThat(seconds.statusCode()).isEqualTo(503);
        assertThat(seconds.headers().firstValue("Retry-After")).contains("3600");
        assertThat(date.statusCode()).isEqualTo(429);
        assertThat(date.headers().firstValue("Retry-After")).contains(httpDate);
        assertThat(received()).hasSize(2);
        assertThat(callLogRow(requestId(seconds))).containsEntry("retries", 0).containsEntry("status", 503);
    }

    @Test
    void aPostIsNotRetriedOnceItWasSent() {
        provider.stubFor(post(urlPathEqualTo("/api/orders")).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "0").withBody("try later")));
        provider.stubFor(post(urlPathEqualTo("/api/payments")).willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));

        var unavailable = call("POST", "/orders", credential, "{\"n\":1}".getBytes(), "X-Plugboard-Retries", "5");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(text(unavailable)).isEqualTo("try later");
        assertThat(received()).hasSize(1);

        provider.resetRequests();
        var reset = call("POST", "/payments", credential, "{\"n\":2}".getBytes(), "X-Plugboard-Retries", "5");
        assertThat(reset.statusCode()).isEqualTo(502);
        assertThat(problemType(reset)).isEqualTo("provider-unreachable");
        assertThat(received()).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsRetriedForAnyMethodBecauseNothingWasSent() throws Exception {
        int upstreamPort = closedPort();
        apiKeyConnectorAt("retry-refused", "http://127.0.0.1:%d/api".formatted(upstreamPort));
        String id = apiKeyCredential("retry-refused", Map.of("apiKey", "k"));
        byte[] body = "{\"order\": \"once\"}".getBytes(StandardCharsets.UTF_8);

        // Five retries back off at least 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s; the provider comes up after one second.
        CompletableFuture<HttpResponse<byte[]>> pending = CompletableFuture.supplyAsync(() ->
                call("POST", "/orders", id, body, "X-Plugboard-Retries", "5"));
        TimeUnit.SECONDS.sleep(1);
        var late = new WireMockServer(WireMockConfiguration.options().port(upstreamPort).bindAddress("127.0.0.1"));
        // Stubbed before it listens: a retry arriving between start and stub would get WireMock's own 404.
        late.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withBody("created")));
        late.start();
        try {
            var response = pending.get(60, TimeUnit.SECONDS);

            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(received(late)).singleElement().satisfies(e -> assertThat(e.getRequest().getBody()).isEqualTo(body));
            assertThat((Integer) callLogRow(requestId(response)).get("retries")).isPositive();
        } finally {
            late.stop();
        }
    }
}
