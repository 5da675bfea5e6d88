package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client-credentials credential imported through the API ({@code fields: {clientId, clientSecret}}) gets its
 * first token at import, as the connect page does: refused client credentials are a 422 and nothing is stored.
 * One stored without a token (imported before, or written by the service directly) gets one, once, at its first
 * proxied call instead of a 500.
 */
@PlugboardTest
class ClientCredentialsImportIT extends ProxyTestSupport {

    private static final String APP = "cc-import";

    @BeforeAll
    void addConnector() {
        connector("""
                appKey: %s
                name: CC Import
                category: OTHER
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: %s/oauth/token
                  clientAuthentication: client_secret_post
                  defaultScopes: [contacts.read]
                api:
                  baseUrl: %s/api
                  auth:
                    type: BEARER
                fields:
                  - key: clientId
                    label: Client ID
                  - key: clientSecret
                    label: Client secret
                    secret: true
                """.formatted(APP, provider.baseUrl(), provider.baseUrl()));
    }

    private void tokenEndpointRefuses() {
        // RFC 6749 §5.2: a client that failed to authenticate gets 401 with error invalid_client.
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}")));
    }

    private void tokenEndpointIssues(String accessToken) {
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay(200)
                .withBody("{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        provider.stubFor(any(urlPathEqualTo("/api/contacts")).atPriority(10)
                .willReturn(aResponse().withStatus(401).withBody("no token")));
        provider.stubFor(any(urlPathEqualTo("/api/contacts")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + accessToken))
                .willReturn(aResponse().withStatus(200).withBody("contacts")));
    }

    private HttpResponse<byte[]> importCredential(String endUser, String clientId, String clientSecret) {
        String body = JSON.writeValueAsString(Map.of("appKey", APP, "endUserId", endUser,
                "fields", Map.of("clientId", clientId, "clientSecret", clientSecret)));
        return send(HttpRequest.newBuilder(proxyUri("").resolve("/api/v1/credentials"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + jwt())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private List<ServeEvent> tokenRequests() {
        return received().stream().filter(e -> e.getRequest().getUrl().equals("/oauth/token")).toList();
    }

    private long credentialsOf(String endUser) {
        return jdbc.queryForObject("SELECT count(*) FROM credentials c JOIN end_users u ON u.id = c.end_user_id "
                + "WHERE c.tenant_id = ? AND u.external_id = ?", Long.class, tenant.id(), endUser);
    }

    @Test
    void refusedClientCredentialsAreA422AndNothingIsStored() {
        tokenEndpointRefuses();
        String endUser = "refused-" + UUID.randomUUID();

        var response = importCredential(endUser, "client-1", "wrong-secret");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(problemType(response)).isEqualTo("client-credentials-refused");
        assertThat(json(response).path("error").asString()).isEqualTo("invalid_client");
        assertThat(json(response).path("detail").asString()).contains("CC Import did not accept this client ID and secret");
        assertThat(text(response)).doesNotContain("wrong-secret");
        assertThat(credentialsOf(endUser)).isZero();
        assertThat(tokenRequests()).hasSize(1);
    }

    @Test
    void anUnreachableTokenEndpointIsA503AndNothingIsStored() {
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503).withBody("down")));
        String endUser = "down-" + UUID.randomUUID();

        var response = importCredential(endUser, "client-1", "secret-1");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(problemType(response)).isEqualTo("token-endpoint-unavailable");
        assertThat(credentialsOf(endUser)).isZero();
    }

    @Test
    void theTokenIsFetchedAtImportAsTheConnectPageDoesAndTheFirstCallUsesIt() {
        tokenEndpointIssues("imported-token");
        String endUser = "imported-" + UUID.randomUUID();

        var response = importCredential(endUser, "client-1", "secret-1");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json(response).path("status").asString()).isEqualTo("ACTIVE");
        assertThat(json(response).path("expiresAt").isMissingNode() || json(response).path("expiresAt").isNull())
                .as("the token's expiry is known").isFalse();
        var tokens = tokenRequests();
        assertThat(tokens).hasSize(1);
        assertThat(tokens.getFirst().getRequest().getBodyAsString()).contains("grant_type=client_credentials",
                "client_id=client-1", "client_secret=secret-1", "scope=contacts.read");

        var call = call("GET", "/contacts", json(response).path("id").asString(), null);

        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(text(call)).isEqualTo("contacts");
        assertThat(tokenRequests()).as("the imported token is used, no second request").hasSize(1);
    }

    @Test
    void aStoredCredentialWithoutATokenGetsOneOnceAtItsFirstCalls() throws Exception {
        tokenEndpointIssues("first-token");
        String id = credential(tenant, APP, "stored-" + UUID.randomUUID(),
                Map.of("clientId", "client-2", "clientSecret", "secret-2"), null);
        assertThat(jdbc.queryForObject("SELECT expires_at FROM credentials WHERE id = ?", Object.class, id))
                .as("stored without a token").isNull();

        var calls = new ArrayList<CompletableFuture<HttpResponse<byte[]>>>();
        try (var pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 6; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> call("GET", "/contacts", id, null), pool));
            }
            for (var c : calls) {
                assertThat(c.get().statusCode()).isEqualTo(200);
            }
        }

        assertThat(tokenRequests()).as("one token request for all the concurrent calls").hasSize(1);
        assertThat(tokenRequests().getFirst().getRequest().getBodyAsString()).contains("client_id=client-2");
        assertThat(call("GET", "/contacts", id, null).statusCode()).isEqualTo(200);
        assertThat(tokenRequests()).as("stored, not asked again").hasSize(1);
    }

    @Test
    void aStoredCredentialWhoseClientIsRefusedIsA409NotA500() {
        tokenEndpointRefuses();
        String id = credential(tenant, APP, "stale-" + UUID.randomUUID(),
                Map.of("clientId", "client-3", "clientSecret", "revoked-secret"), null);

        var call = call("GET", "/contacts", id, null);

        assertThat(call.statusCode()).isEqualTo(409);
        assertThat(problemType(call)).isEqualTo("refresh_failed");
        assertThat(jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, id))
                .isEqualTo("REFRESH_FAILED");
    }
}
