package io.plugboard.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.plugboard.connector.ConnectorDefinition.ClientAuthentication;
import io.plugboard.connector.ConnectorDefinition.OAuth;
import io.plugboard.connector.ConnectorDefinition.TokenRequestFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Token requests and responses as the providers document them (samples under providers/ in the test resources,
 * each citing its page): request body format, client authentication, where the token is, expiry fields, token types
 * other than Bearer and errors answered with HTTP 200.
 */
class TokenWireFormatTest {

    @RegisterExtension
    static final WireMockExtension provider = WireMockExtension.newInstance()
            .options(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final URI REDIRECT = URI.create("https://plugboard.example/connect/oauth/callback");

    private final TokenEndpoint endpoint = new TokenEndpoint(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofSeconds(5), PinningPolicy.toLoopback());

    @AfterEach
    void close() throws IOException {
        endpoint.close();
    }

    @Test
    void rollerGetsTheJsonBodyItDocumentsWithoutGrantType() {
        stubToken("roller/token.json");

        var tokens = endpoint.clientCredentials(oauth(TokenRequestFormat.json, true, ClientAuthentication.client_secret_post,
                null, null, null, null), "roller-client", "roller-secret", List.of());

        provider.verify(postRequestedFor(urlEqualTo("/token"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Authorization", absent())
                .withRequestBody(equalToJson("{\"client_id\":\"roller-client\",\"client_secret\":\"roller-secret\"}")));
        assertThat(tokens.accessToken()).isEqualTo("cd5c24313225bb9ea046a2ef0f0dbb9f");
        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(86400));
    }

    @Test
    void aJsonBodyCarriesTheGrantAndTokenParametersUnlessTheConnectorOmitsTheGrantType() {
        stubToken("roller/token.json");

        endpoint.refresh(new OAuth(null, tokenUrl(), null, null, null, null, Map.of("audience", "api"),
                ClientAuthentication.client_secret_basic, null, null, null, null, TokenRequestFormat.json, null, null,
                null, null), "client-1", "secret-1", "rt-1", List.of(), REDIRECT);

        provider.verify(postRequestedFor(urlEqualTo("/token"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Authorization", equalTo(basic("client-1", "secret-1")))
                .withRequestBody(equalToJson("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"rt-1\","
                        + "\"audience\":\"api\"}")));
    }

    @Test
    void tokenParametersTravelWithEveryGrant() {
        stubToken("roller/token.json");
        var oauth = new OAuth(null, tokenUrl(), null, null, null, null, Map.of("audience", "api"),
                ClientAuthentication.client_secret_post, null, null, null, null, null, null, null, null, null);

        endpoint.clientCredentials(oauth, "c", "s", List.of());
        endpoint.authorizationCode(oauth, "c", "s", "code-1", URI.create("https://plugboard.example/cb"), null);
        endpoint.refresh(oauth, "c", "s", "rt-1", List.of(), REDIRECT);

        provider.verify(3, postRequestedFor(urlEqualTo("/token"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("audience=api")));
    }

    @Test
    void aSlackCodeExchangeWithTokenTypeBotYieldsTheBotToken() {
        stubToken("slack/oauth.v2.access.json");

        var tokens = endpoint.authorizationCode(slack(null), "slack-client", "slack-secret", "code-1",
                URI.create("https://plugboard.example/cb"), null);

        provider.verify(postRequestedFor(urlEqualTo("/token"))
                .withHeader("Authorization", equalTo(basic("slack-client", "slack-secret")))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("grant_type=authorization_code"))
                .withRequestBody(containing("code=code-1"))
                .withRequestBody(notContaining("client_secret")));
        assertThat(tokens.accessToken()).isEqualTo("xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy");
        assertThat(tokens.tokenType()).isEqualTo("bot");
        assertThat(tokens.scopes()).containsExactly("commands", "incoming-webhook");
        assertThat(tokens.refreshToken()).isNull();
    }

    @Test
    void aUserTokenIsReadWhereTheConnectorSaysItIs() {
        stubToken("slack/oauth.v2.access.json");

        var tokens = endpoint.authorizationCode(slack("/authed_user"), "slack-client", "slack-secret", "code-1",
                URI.create("https://plugboard.example/cb"), null);

        assertThat(tokens.accessToken()).isEqualTo("xoxp-1234");
        assertThat(tokens.tokenType()).isEqualTo("user");
        assertThat(tokens.scopes()).containsExactly("chat:write");
    }

    @Test
    void slacksOkFalseIsAProviderErrorWithItsErrorCode() {
        stubToken("slack/oauth.v2.access-error.json");

        assertThatThrownBy(() -> endpoint.authorizationCode(slack(null), "slack-client", "slack-secret", "code-1",
                URI.create("https://plugboard.example/cb"), null))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenRequestException.Kind.PROVIDER_ERROR);
                    assertThat(e.errorCode()).isEqualTo("invalid_code");
                    assertThat(e.getMessage()).isEqualTo("The provider refused the token request: invalid_code");
                });
    }

    @Test
    void anErrorDescriptionThatEchoesTheSecretIsNotRepeated() {
        provider.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"bad secret slack-secret\"}")));

        assertThatThrownBy(() -> endpoint.clientCredentials(slack(null), "slack-client", "slack-secret", List.of()))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_client");
                    assertThat(e.getMessage()).doesNotContain("slack-secret");
                });
    }

    @Test
    void anAbsoluteExpiryIsTakenAsItIs() {
        provider.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_at\":"
                        + NOW.plusSeconds(7200).getEpochSecond() + "}")));

        var tokens = endpoint.clientCredentials(oauth(null, null, null, null, null, "expires_at", null), "c", "s",
                List.of());

        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(7200));
    }

    @Test
    void aRelativeExpiryUnderAnotherNameIsHonoured() {
        provider.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires\":\"900\"}")));

        var tokens = endpoint.clientCredentials(oauth(null, null, null, null, "expires", null, null), "c", "s",
                List.of());

        assertThat(tokens.expiresAt()).isEqualTo(NOW.plusSeconds(900));
    }

    @Test
    void aPublicClientSendsItsIdAndVerifierButNoSecret() {
        stubToken("roller/token.json");

        endpoint.authorizationCode(oauth(null, null, ClientAuthentication.none, null, null, null, null), "public-1",
                "unused-secret", "code-1", URI.create("https://plugboard.example/cb"), "verifier-0123456789-0123456789-0123456789-01");

        provider.verify(postRequestedFor(urlEqualTo("/token"))
                .withHeader("Authorization", absent())
                .withRequestBody(containing("client_id=public-1"))
                .withRequestBody(containing("code_verifier=verifier-0123456789-0123456789-0123456789-01"))
                .withRequestBody(notContaining("unused-secret")));
    }

    @Test
    void salesforceKeepsTheInstanceUrlOfItsTokenResponse() {
        stubToken("salesforce/token.json");

        var tokens = endpoint.authorizationCode(oauth(null, null, ClientAuthentication.client_secret_post, null, null,
                null, List.of("instance_url")), "c", "s", "code-1", URI.create("https://plugboard.example/cb"), null);

        assertThat(tokens.extra()).containsEntry("instance_url", "https://yourInstance.my.salesforce.com");
        assertThat(tokens.refreshToken()).startsWith("5Aep861");
    }

    @Test
    void aSuccessfulStatusWithoutAnAccessTokenIsNotATokenResponse() {
        provider.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));

        assertThatThrownBy(() -> endpoint.clientCredentials(slack(null), "c", "s", List.of()))
                .isInstanceOfSatisfying(TokenRequestException.class,
                        e -> assertThat(e.kind()).isEqualTo(TokenRequestException.Kind.INVALID_RESPONSE));
    }

    @Test
    void microsoftGraphAsksAgainForTheScopesWhenItRefreshes() {
        stubToken("microsoft-graph/refresh.json");
        var graph = new OAuth(null, tokenUrl(), null, List.of("offline_access", "User.Read"), " ", null, null,
                ClientAuthentication.client_secret_post, true, null, null, null, null, null, null, null, null, true,
                null, null);

        var tokens = endpoint.refresh(graph, "graph-client", "graph-secret", "rt-1", graph.scopes(), REDIRECT);

        provider.verify(postRequestedFor(urlEqualTo("/token"))
                .withRequestBody(equalTo("grant_type=refresh_token&refresh_token=rt-1"
                        + "&scope=offline_access+User.Read&client_id=graph-client&client_secret=graph-secret")));
        assertThat(tokens.refreshToken()).isEqualTo("AwABAAAAvPM1KaPlrEqdFSBzjqfTGAMxZGUTdM0t4B4.refresh-2");
    }

    @Test
    void gustoGetsTheRedirectUriAgainWhenItRefreshes() {
        stubToken("gusto/refresh.json");
        var gusto = new OAuth(null, tokenUrl(), null, null, null, null, null, ClientAuthentication.client_secret_post,
                false, null, null, null, null, null, null, null, null, null, true, null);

        endpoint.refresh(gusto, "gusto-client", "gusto-secret", "rt-1", List.of("unused"), REDIRECT);

        provider.verify(postRequestedFor(urlEqualTo("/token"))
                .withRequestBody(equalTo("grant_type=refresh_token&refresh_token=rt-1&redirect_uri="
                        + "https%3A%2F%2Fplugboard.example%2Fconnect%2Foauth%2Fcallback"
                        + "&client_id=gusto-client&client_secret=gusto-secret")));
    }

    @Test
    void aRefreshSendsNeitherScopeNorRedirectUriUnlessTheConnectorSaysSo() {
        stubToken("microsoft-graph/refresh.json");

        endpoint.refresh(oauth(null, null, ClientAuthentication.client_secret_basic, null, null, null, null), "c", "s",
                "rt-1", List.of("offline_access"), REDIRECT);

        provider.verify(postRequestedFor(urlEqualTo("/token"))
                .withRequestBody(equalTo("grant_type=refresh_token&refresh_token=rt-1")));
    }

    // ------------------------------------------------------------------ helpers

    private static void stubToken(String sample) {
        provider.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(sample(sample))));
    }

    static String sample(String path) {
        try (InputStream in = TokenWireFormatTest.class.getResourceAsStream("/providers/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no sample " + path, e);
        }
    }

    private static String tokenUrl() {
        return "http://provider.invalid:" + provider.getPort() + "/token";
    }

    private static OAuth slack(@Nullable String tokenPath) {
        return new OAuth(null, tokenUrl(), null, null, ",", null, null, ClientAuthentication.client_secret_basic, false,
                null, null, null, null, null, tokenPath, null, null);
    }

    private static OAuth oauth(@Nullable TokenRequestFormat format, @Nullable Boolean omitGrantType,
                               @Nullable ClientAuthentication auth, @Nullable String tokenPath,
                               @Nullable String expiresIn, @Nullable String expiresAt,
                               @Nullable List<String> responseFields) {
        return new OAuth(null, tokenUrl(), null, null, null, null, null, auth, null, null, responseFields, null, format,
                omitGrantType, tokenPath, expiresIn, expiresAt);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
