package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.Category;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.PinningPolicy;
import io.plugboard.connector.DrippingServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test request of an API-key connector goes to the provider's checked address; a private one is refused. */
class ConnectionCheckTest {

    @RegisterExtension
    static final WireMockExtension provider = WireMockExtension.newInstance()
            .options(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")).build();

    @Test
    void theTestRequestReachesTheCheckedAddressWithTheSecretInjected() throws Exception {
        provider.stubFor(get(urlEqualTo("/v1/me?key=k-1")).willReturn(aResponse().withStatus(200)));
        provider.stubFor(get(urlEqualTo("/v1/me?key=wrong")).willReturn(aResponse().withStatus(401)));
        var check = new ConnectionCheck(PinningPolicy.toLoopback(), Duration.ofSeconds(20));
        try {
            var connector = connector("http://provider.invalid:" + provider.getPort());

            assertThat(check.check(connector, Map.of("apiKey", "k-1"), Map.of(), Map.of())).isNull();
            assertThat(check.check(connector, Map.of("apiKey", "wrong"), Map.of(), Map.of()).english())
                    .isEqualTo("Pinned rejected these details (HTTP 401). Check them and try again.");
            provider.verify(getRequestedFor(urlEqualTo("/v1/me?key=k-1"))
                    .withHeader("Host", equalTo("provider.invalid:" + provider.getPort()))
                    .withHeader("Accept", equalTo("application/json")));
        } finally {
            check.close();
        }
    }

    @Test
    void aProviderOnAPrivateAddressIsRefusedBeforeAnythingIsSent() throws Exception {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        var check = new ConnectionCheck(new DestinationPolicy(false), Duration.ofSeconds(20));
        try {
            assertThat(check.check(connector("http://localhost:" + provider.getPort()), Map.of("apiKey", "k-1"), Map.of(),
                    Map.of()).english())
                    .contains("private or loopback");
            assertThat(provider.getAllServeEvents()).isEmpty();
        } finally {
            check.close();
        }
    }

    @Test
    void aProviderThatDripsItsAnswerIsGivenUpOnAtTheDeadline() throws Exception {
        var check = new ConnectionCheck(PinningPolicy.toLoopback(), Duration.ofMillis(1500));
        try (var dripping = DrippingServer.startWithHeaders(Duration.ofMillis(200))) {
            long started = System.nanoTime();
            String problem = check.check(connector("http://provider.invalid:" + dripping.port()),
                    Map.of("apiKey", "k-1"), Map.of(), Map.of()).english();

            assertThat(problem).isEqualTo("Pinned could not be reached to check these details. Try again in a moment.");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        } finally {
            check.close();
        }
    }

    private static ConnectorDefinition connector(String baseUrl) {
        var api = new ConnectorDefinition.Api(baseUrl, null, new ConnectorDefinition.Injection(
                ConnectorDefinition.InjectionType.QUERY, null, null, null, null, "{apiKey}", "key"));
        return new ConnectorDefinition("pinned", "Pinned", Category.OTHER, null, null, null, AuthMode.API_KEY, null, api,
                null, null, new ConnectorDefinition.TestRequest("GET", "/v1/me"));
    }
}
