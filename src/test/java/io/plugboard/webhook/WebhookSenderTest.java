package io.plugboard.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.PinningPolicy;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One attempt against a real HTTP receiver (WireMock on loopback). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSenderTest {

    static WebhookProperties properties(Duration timeout) {
        return new WebhookProperties(Duration.ofSeconds(2), timeout, Duration.ofDays(3), Duration.ofSeconds(10),
                Duration.ofHours(6), Duration.ofHours(24), 5, 8, 4, Duration.ofSeconds(1), true, Duration.ofDays(7),
                Duration.ofDays(30));
    }

    private WireMockServer receiver;
    private final WebhookSender allowingLoopback = new WebhookSender(properties(Duration.ofSeconds(2)),
            new DestinationPolicy(true));

    @BeforeAll
    void start() {
        receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
    }

    @AfterAll
    void stop() {
        receiver.stop();
    }

    @BeforeEach
    void reset() {
        receiver.resetAll();
    }

    @Test
    void aLoopbackReceiverIsRefusedBeforeAnythingIsSentWhenPrivateAddressesAreNotAllowed() {
        receiver.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        var strict = new WebhookSender(properties(Duration.ofSeconds(2)), new DestinationPolicy(false));
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            var attempt = strict.send(request("http://" + host + ":" + receiver.port() + "/hook"));
            assertThat(attempt.statusCode()).as(host).isZero();
            assertThat(attempt.delivered()).isFalse();
            assertThat(attempt.error()).contains("private or loopback");
        }
        assertThat(receiver.getAllServeEvents()).isEmpty();
    }

    @Test
    void theReceiverIsReachedAtTheCheckedAddressWithoutLookingTheNameUpAgain() {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(202)));
        var pinned = new WebhookSender(properties(Duration.ofSeconds(2)), PinningPolicy.toLoopback());

        // ".invalid" never resolves (RFC 6761): the delivery can only arrive at the pinned address.
        var attempt = pinned.send(request("http://receiver.invalid:" + receiver.port() + "/hook"));

        assertThat(attempt.delivered()).isTrue();
        assertThat(receiver.getAllServeEvents().getFirst().getRequest().getHeader("Host"))
                .isEqualTo("receiver.invalid:" + receiver.port());
    }

    @Test
    void theRequestCarriesTheBodyAsSignedAndTheDeliveryHeaders() {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        var attempt = allowingLoopback.send(request(receiver.baseUrl() + "/hook"));
        assertThat(attempt.delivered()).isTrue();
        assertThat(attempt.statusCode()).isEqualTo(204);
        var sent = receiver.getAllServeEvents().getFirst().getRequest();
        assertThat(sent.getBodyAsString()).isEqualTo("{\"id\":\"evt_x\"}");
        assertThat(sent.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(sent.getHeader("Plugboard-Signature")).isEqualTo("t=1,v1=ab");
        assertThat(sent.getHeader("Plugboard-Event-Id")).isEqualTo("evt_x");
        assertThat(sent.getHeader("Plugboard-Event-Type")).isEqualTo("credential.created");
        assertThat(sent.getHeader("Plugboard-Delivery-Attempt")).isEqualTo("3");
        assertThat(sent.getHeader("User-Agent")).isEqualTo(WebhookSender.USER_AGENT);
    }

    @Test
    void aRedirectIsNotFollowedAndDoesNotCountAsDelivered() {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", receiver.baseUrl() + "/elsewhere")));
        receiver.stubFor(any(urlEqualTo("/elsewhere")).willReturn(aResponse().withStatus(200)));
        var attempt = allowingLoopback.send(request(receiver.baseUrl() + "/hook"));
        assertThat(attempt.statusCode()).isEqualTo(307);
        assertThat(attempt.delivered()).isFalse();
        assertThat(receiver.getAllServeEvents()).hasSize(1);
    }

    @Test
    void onlyTheStartOfALargeAnswerIsKeptWithoutControlCharacters() {
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500)
                .withBody("line one\r\nline two\u0000" + "x".repeat(5_000_000))));
        var attempt = allowingLoopback.send(request(receiver.baseUrl() + "/hook"));
        assertThat(attempt.statusCode()).isEqualTo(500);
        assertThat(attempt.snippet()).hasSize(WebhookSender.SNIPPET_CHARS).startsWith("line one  line two x")
                .doesNotContain("\n", "\r", "\u0000");
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsAFailedAttempt() {
        receiver.stubFor(post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        var quick = new WebhookSender(properties(Duration.ofMillis(500)), new DestinationPolicy(true));
        long started = System.nanoTime();
        var attempt = quick.send(request(receiver.baseUrl() + "/slow"));
        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).startsWith("No answer within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_900));
    }

    @Test
    void aClosedPortIsAFailedAttemptWithAReason() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var attempt = allowingLoopback.send(request("http://127.0.0.1:" + closed + "/hook"));
        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).isEqualTo("Connection refused or unreachable");
    }

    private static WebhookSender.Request request(String url) {
        return new WebhookSender.Request(URI.create(url), "evt_x", "credential.created", "{\"id\":\"evt_x\"}",
                "t=1,v1=ab", 3);
    }
}
