package io.plugboard.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The shared outbound client connects to the address its policy checked, and never looks the host name up again. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PinnedHttpClientTest {

    private WireMockServer provider;
    private PinnedHttpClient pinned;

    @BeforeAll
    void start() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        provider.start();
        pinned = new PinnedHttpClient(PinningPolicy.toLoopback(), Duration.ofSeconds(2), Duration.ofSeconds(2), 4);
    }

    @AfterAll
    void stop() throws Exception {
        pinned.close();
        provider.stop();
    }

    @BeforeEach
    void reset() {
        provider.resetAll();
    }

    @Test
    void theCheckedAddressIsUsedWhileTheHostNameOnlyNamesTheRequest() throws Exception {
        provider.stubFor(post(urlEqualTo("/v1/token?x=%2F1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Encoding", "gzip").withHeader("X-Multi", "a").withHeader("x-multi", "b")
                .withBody("not really gzip")));

        var response = pinned.send(new PinnedHttpClient.Request("POST", providerUrl("/v1/token?x=%2F1"),
                Map.of("Content-Type", "text/plain", "Content-Length", "999"), "hello".getBytes(StandardCharsets.UTF_8)),
                1024);

        assertThat(response.status()).isEqualTo(200);
        // Bytes as sent: no decompression; repeated headers kept, found in any case.
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("not really gzip");
        assertThat(response.headers().get("x-MULTI")).containsExactly("a", "b");
        assertThat(response.cutShort()).isFalse();
        provider.verify(postRequestedFor(urlEqualTo("/v1/token?x=%2F1"))
                .withHeader("Host", equalTo("provider.invalid:" + provider.port()))
                .withHeader("Content-Type", equalTo("text/plain"))
                .withHeader("Content-Length", equalTo("5"))
                .withHeader("User-Agent", equalTo(PinnedHttpClient.DEFAULT_USER_AGENT)));
    }

    @Test
    void withoutAPinTheClientResolvesTheHostItself() throws Exception {
        // Private networks allowed: nothing to check, so nothing is pinned and the name must resolve.
        try (var unpinned = new PinnedHttpClient(new DestinationPolicy(true), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1)) {
            assertThatThrownBy(() -> unpinned.send(request("/v1/me"), 0)).isInstanceOf(UnknownHostException.class);
        }
    }

    @Test
    void aHostResolvingToAPrivateAddressIsRefusedBeforeAnythingIsSent() throws Exception {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (var strict = new PinnedHttpClient(new DestinationPolicy(false), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1)) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                URI target = URI.create("http://" + host + ":" + provider.port() + "/v1/me");
                assertThatThrownBy(() -> strict.send(new PinnedHttpClient.Request("GET", target, Map.of(), null), 0))
                        .as(host).isInstanceOf(DestinationPolicy.ForbiddenDestinationException.class);
            }
        }
        assertThat(provider.getAllServeEvents()).isEmpty();
    }

    @Test
    void onlyTheBytesAskedForAreReadAndTheClientStaysUsable() throws Exception {
        provider.stubFor(get(urlEqualTo("/big")).willReturn(aResponse().withStatus(200).withBody("x".repeat(5_000_000))));
        provider.stubFor(get(urlEqualTo("/small")).willReturn(aResponse().withStatus(200).withBody("ok")));

        assertThat(pinned.send(request("/big"), 10).body()).hasSize(10);
        assertThat(pinned.send(request("/big"), 0).body()).isEmpty();
        var small = pinned.send(request("/small"), 10);
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(pinned.send(request("/small"), 0).body()).isEmpty();
        assertThat(pinned.send(request("/small"), 2).body()).hasSize(2);
    }

    @Test
    void redirectsAreAnswersNotFollowed() throws Exception {
        provider.stubFor(get(urlEqualTo("/moved")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + provider.port() + "/elsewhere")));

        var response = pinned.send(request("/moved"), 0);

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("location")).endsWith("/elsewhere");
        provider.verify(0, getRequestedFor(urlEqualTo("/elsewhere")));
    }

    @Test
    void anAnswerStillArrivingAtTheDeadlineIsATimeout() {
        // Every chunk comes well within the response timeout; only the deadline ends the exchange.
        provider.stubFor(get(urlEqualTo("/trickle")).willReturn(aResponse().withStatus(200)
                .withBody("y".repeat(100)).withChunkedDribbleDelay(50, 10_000)));

        assertThatThrownBy(() -> pinned.send(request("/trickle"), 1024, Duration.ofMillis(500)))
                .isInstanceOf(SocketTimeoutException.class)
                .isNotInstanceOf(PinnedHttpClient.ConnectTimeoutException.class);
    }

    @Test
    void aClosedPortIsAConnectFailure() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        URI target = URI.create("http://provider.invalid:" + closed + "/v1/me");

        assertThatThrownBy(() -> pinned.send(new PinnedHttpClient.Request("GET", target, Map.of(), null), 0))
                .isInstanceOf(ConnectException.class);
    }

    private PinnedHttpClient.Request request(String path) {
        return new PinnedHttpClient.Request("GET", providerUrl(path), Map.of(), null);
    }

    private URI providerUrl(String path) {
        return URI.create("http://provider.invalid:" + provider.port() + path);
    }
}
