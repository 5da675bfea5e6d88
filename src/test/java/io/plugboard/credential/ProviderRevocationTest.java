package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.Category;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorDefinition.ClientAuthentication;
import io.plugboard.connector.DestinationPolicy;
import io.plugboard.connector.OAuthApp;
import io.plugboard.connector.PinningPolicy;
import io.plugboard.connector.DrippingServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A revocation (RFC 7009) goes to the revocation endpoint's checked address; a private one is refused. */
class ProviderRevocationTest {

    private static final CredentialSecret SECRET = new CredentialSecret(Map.of(), "at-1", "rt-1", "Bearer", null);
    private static final OAuthApp APP = new OAuthApp("client-1", "secret-1", List.of());

    @RegisterExtension
    static final WireMockExtension provider = WireMockExtension.newInstance()
            .options(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")).build();

    @Test
    void theRefreshTokenIsRevokedAtTheCheckedAddress() throws Exception {
        provider.stubFor(post(urlEqualTo("/oauth/revoke")).willReturn(aResponse().withStatus(200)));
        var revocation = new ProviderRevocation(PinningPolicy.toLoopback(), Duration.ofSeconds(20));
        try {
            var outcome = revocation.revoke(connector("http://provider.invalid:" + provider.getPort() + "/oauth/revoke"),
                    SECRET, Map.of(), APP);

            assertThat(outcome).isEqualTo(new ProviderRevocation.Outcome(true, true, "HTTP 200"));
            provider.verify(postRequestedFor(urlEqualTo("/oauth/revoke"))
                    .withHeader("Host", equalTo("provider.invalid:" + provider.getPort()))
                    .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                    .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder()
                            .encodeToString("client-1:secret-1".getBytes(StandardCharsets.UTF_8))))
                    .withRequestBody(equalTo("token=rt-1&token_type_hint=refresh_token")));
        } finally {
            revocation.close();
        }
    }

    @Test
    void calendlyGetsTheClientCredentialsInTheRevocationBodyThoughItsTokenEndpointTakesBasic() throws Exception {
        // https://developer.calendly.com/api-docs/calendly-o-auth/o-auth/post-oauth-revoke: form client_id,
        // client_secret, token; the token endpoint takes web clients' credentials as HTTP Basic.
        provider.stubFor(post(urlEqualTo("/oauth/revoke")).willReturn(aResponse().withStatus(200)));
        var revocation = new ProviderRevocation(PinningPolicy.toLoopback(), Duration.ofSeconds(20));
        String url = "http://provider.invalid:" + provider.getPort() + "/oauth/revoke";
        var calendly = new ConnectorDefinition("calendly", "Calendly", Category.PRODUCTIVITY, null, null, null,
                AuthMode.OAUTH2_AUTHORIZATION_CODE, new ConnectorDefinition.OAuth("https://auth.calendly.com/oauth/authorize",
                "https://auth.calendly.com/oauth/token", url, null, null, null, null,
                ClientAuthentication.client_secret_basic, true, null, null, null, null, null, null, null, null, null,
                null, ClientAuthentication.client_secret_post),
                new ConnectorDefinition.Api("https://api.calendly.com", null,
                        new ConnectorDefinition.Injection(ConnectorDefinition.InjectionType.BEARER, null, null, null,
                                null, null, null)), null, null, null);
        try {
            var outcome = revocation.revoke(calendly, SECRET, Map.of(), APP);

            assertThat(outcome.succeeded()).isTrue();
            provider.verify(postRequestedFor(urlEqualTo("/oauth/revoke"))
                    .withHeader("Authorization", absent())
                    .withRequestBody(equalTo("token=rt-1&token_type_hint=refresh_token&client_id=client-1"
                            + "&client_secret=secret-1")));
        } finally {
            revocation.close();
        }
    }

    @Test
    void aRevocationEndpointOnAPrivateAddressIsRefusedBeforeAnythingIsSent() throws Exception {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        var revocation = new ProviderRevocation(new DestinationPolicy(false), Duration.ofSeconds(20));
        try {
            var outcome = revocation.revoke(connector("http://localhost:" + provider.getPort() + "/oauth/revoke"),
                    SECRET, Map.of(), APP);

            assertThat(outcome.attempted()).isTrue();
            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.detail()).startsWith("revocation endpoint refused:").contains("private or loopback");
            assertThat(provider.getAllServeEvents()).isEmpty();
        } finally {
            revocation.close();
        }
    }

    @Test
    void aRevocationEndpointThatDripsItsAnswerIsGivenUpOnAtTheDeadlineAndRetriedLater() throws Exception {
        var revocation = new ProviderRevocation(PinningPolicy.toLoopback(), Duration.ofMillis(1500));
        try (var dripping = DrippingServer.startWithHeaders(Duration.ofMillis(200))) {
            long started = System.nanoTime();
            var outcome = revocation.revoke(connector("http://provider.invalid:" + dripping.port() + "/oauth/revoke"),
                    SECRET, Map.of(), APP);

            assertThat(outcome.attempted()).isTrue();
            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.retryable()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        } finally {
            revocation.close();
        }
    }

    private static ConnectorDefinition connector(String revocationUrl) {
        var oauth = new ConnectorDefinition.OAuth("https://provider.example/authorize", "https://provider.example/token",
                revocationUrl, null, null, null, null, ClientAuthentication.client_secret_basic, null, null, null, null, null, null, null, null, null);
        var api = new ConnectorDefinition.Api("https://provider.example", null, new ConnectorDefinition.Injection(
                ConnectorDefinition.InjectionType.BEARER, null, null, null, null, null, null));
        return new ConnectorDefinition("pinned", "Pinned", Category.OTHER, null, null, null,
                AuthMode.OAUTH2_AUTHORIZATION_CODE, oauth, api, null, null, null);
    }
}
