package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provider client connects to the address it is given and never looks the host name up again. */
class ProviderClientTest {

    private static final WireMockServer PROVIDER = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static ProviderClient client;

    @BeforeAll
    static void start() {
        PROVIDER.start();
        PROVIDER.stubFor(get(urlEqualTo("/v1/me?x=%2F1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Encoding", "gzip").withHeader("X-Multi", "a").withHeader("x-multi", "b")
                .withBody("not really gzip")));
        client = new ProviderClient(new ProxyProperties(Duration.ofSeconds(2), Duration.ofSeconds(5), 0, 0,
                Duration.ofSeconds(1), 1024, true, Duration.ofDays(1), 10, 100, 250));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        PROVIDER.stop();
    }

    @Test
    void aPinnedAddressIsUsedAsGivenWhileTheHostNameOnlyNamesTheRequest() throws Exception {
        // ".invalid" never resolves (RFC 6761): the call can only succeed by connecting to the pinned address.
        URI target = URI.create("http://provider.invalid:" + PROVIDER.port() + "/v1/me?x=%2F1");
        try (var response = client.open("GET", target, InetAddress.getLoopbackAddress(), Map.of("Accept", List.of("*/*")),
                Map.of("Authorization", "Bearer t"), null)) {
            assertThat(response.getCode()).isEqualTo(200);
            // Bytes pass through untouched: no decompression, repeated headers kept.
            assertThat(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)).isEqualTo("not really gzip");
            assertThat(ProviderClient.headers(response)).containsEntry("X-Multi", List.of("a", "b"));
        }
        PROVIDER.verify(getRequestedFor(urlEqualTo("/v1/me?x=%2F1"))
                .withHeader("Host", equalTo("provider.invalid:" + PROVIDER.port()))
                .withHeader("Authorization", equalTo("Bearer t")));
    }

    @Test
    void withoutAPinTheHostIsResolvedByTheClient() {
        URI target = URI.create("http://provider.invalid:" + PROVIDER.port() + "/v1/me");
        assertThatThrownBy(() -> client.open("GET", target, null, Map.of(), Map.of(), null))
                .isInstanceOf(UnknownHostException.class);
    }
}
