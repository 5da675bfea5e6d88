package io.plugboard.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.plugboard.connector.ConnectorDefinition.ClientAuthentication;
import io.plugboard.connector.ConnectorDefinition.OAuth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Token requests go to the token endpoint's checked address; a private one is refused. */
class TokenEndpointPinningTest {

    @RegisterExtension
    static final WireMockExtension provider = WireMockExtension.newInstance()
            .options(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")).build();

    @Test
    void theTokenRequestReachesTheCheckedAddressWithTheClientsFormAndAuthentication() throws Exception {
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":600,\"scope\":\"read\"}")));
        var endpoint = new TokenEndpoint(Clock.systemUTC(), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5),
                PinningPolicy.toLoopback());
        try {
            var tokens = endpoint.clientCredentials(oauth("http://provider.invalid:" + provider.getPort() + "/oauth/token"),
                    "client-1", "secret-1", List.of("read"));

            assertThat(tokens.accessToken()).isEqualTo("at-1");
            assertThat(tokens.scopes()).containsExactly("read");
            provider.verify(postRequestedFor(urlEqualTo("/oauth/token"))
                    .withHeader("Host", equalTo("provider.invalid:" + provider.getPort()))
                    .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                    .withHeader("Accept", equalTo("application/json"))
                    .withRequestBody(containing("grant_type=client_credentials"))
                    .withRequestBody(containing("client_id=client-1"))
                    .withRequestBody(containing("client_secret=secret-1"))
                    .withRequestBody(containing("scope=read")));
        } finally {
            endpoint.close();
        }
    }

    @Test
    void aTokenEndpointOnAPrivateAddressIsRefusedBeforeAnythingIsSent() throws Exception {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        provider.resetRequests();
        var endpoint = new TokenEndpoint(Clock.systemUTC(), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5),
                new DestinationPolicy(false));
        try {
            assertThatThrownBy(() -> endpoint.clientCredentials(
                    oauth("http://localhost:" + provider.getPort() + "/oauth/token"), "client-1", "secret-1", List.of()))
                    .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TokenRequestException.Kind.UNREACHABLE);
                        assertThat(e.getMessage()).contains("private or loopback");
                    });
            assertThat(provider.getAllServeEvents()).isEmpty();
        } finally {
            endpoint.close();
        }
    }

    private static OAuth oauth(String tokenUrl) {
        return new OAuth(null, tokenUrl, null, null, null, null, null, ClientAuthentication.client_secret_post, null,
                null, null, null, null, null, null, null, null);
    }
}
