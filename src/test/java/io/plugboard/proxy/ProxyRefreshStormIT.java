package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The refresh storm: 200 concurrent calls on one expired token, half through this test's application and half
 * through a second instance in its own JVM on the same database, cause exactly one token request at the OAuth
 * server (mock-oauth2-server, a real one, counted at the server). The token endpoint answers after a second
 * (WireMock in front, delaying and counting too), so callers on both instances pile up while it is in flight:
 * in each JVM they share one refresh, and across the two the row lock makes the second one find the token
 * already fresh.
 *
 * <p>The second instance has Hikari's default pool of 10 connections for its 100 calls. The waiting calls must
 * hold none: when the credential lookup ran in a transaction-synchronised scope, each of them kept the
 * connection of its first query while it waited for the refresh, the ten connections were gone before the
 * refreshing call asked for one, and after Hikari's 30 s timeout 88 calls answered 500.
 */
@PlugboardTest
class ProxyRefreshStormIT extends ProxyTestSupport {

    private static final int CALLS = 200;
    private static final String REDIRECT = "http://localhost/callback";

    private MockOAuth2Server oauthServer;

    @BeforeAll
    void startOAuthServer() {
        oauthServer = new MockOAuth2Server();
        oauthServer.start();
    }

    @AfterAll
    void stopOAuthServer() {
        oauthServer.shutdown();
    }

    /** An access and refresh token pair from the OAuth server's authorization-code flow (it signs in anyone). */
    private JsonNode initialTokens() throws Exception {
        var authorize = send(HttpRequest.newBuilder(URI.create(oauthServer.authorizationEndpointUrl("storm")
                + "?response_type=code&client_id=" + OAUTH_CLIENT_ID + "&scope=openid%20offline_access&state=s1"
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8))).GET().build());
        assertThat(authorize.statusCode()).isEqualTo(302);
        String location = authorize.headers().firstValue("Location").orElseThrow();
        String code = URLDecoder.decode(location.replaceAll(".*[?&]code=([^&]+).*", "$1"), StandardCharsets.UTF_8);
        var token = send(HttpRequest.newBuilder(URI.create(oauthServer.tokenEndpointUrl("storm").toString()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code="
                        + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&redirect_uri="
                        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&client_id=" + OAUTH_CLIENT_ID
                        + "&client_secret=" + OAUTH_CLIENT_SECRET)).build());
        assertThat(token.statusCode()).isEqualTo(200);
        JsonNode tokens = json(token);
        assertThat(tokens.path("refresh_token").asString()).isNotBlank();
        return tokens;
    }

    /** Every request the OAuth server received since the last call, oldest first. */
    private List<RecordedRequest> oauthServerRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                requests.add(oauthServer.takeRequest(500, TimeUnit.MILLISECONDS));
            } catch (RuntimeException noMore) {
                // "no request found in queue within timeout"
                return requests;
            }
        }
    }

    @Test
    void twoHundredConcurrentCallsOnTwoInstancesCauseExactlyOneTokenRequest() throws Exception {
        SecondInstance second = SecondInstance.on(context);
        String oauthBase = oauthServer.baseUrl().toString().replaceAll("/$", "");
        provider.stubFor(post(urlEqualTo("/storm/token")).willReturn(aResponse().proxiedFrom(oauthBase)
                .withFixedDelay(1_000)));
        provider.stubFor(any(urlPathEqualTo("/api/storm")).willReturn(aResponse().withStatus(200).withBody("calm")));
        oauthConnector(tenant, "storm-crm", provider.baseUrl() + "/storm/token", provider.baseUrl() + "/api");
        JsonNode initial = initialTokens();
        String oldAccess = initial.path("access_token").asString();
        String id = oauthCredential("storm-crm", oldAccess, initial.path("refresh_token").asString(),
                Instant.now().minusSeconds(60));
        // The sealed token says "expired", which is what a call checks. The expires_at column, which only the
        // background job reads, is moved out of the job's window, so no job on either instance refreshes first.
        jdbc.update("UPDATE credentials SET expires_at = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).plusHours(1), id);
        assertThat(oauthServerRequests()).as("the initial sign-in").isNotEmpty();

        String token = jwt();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                     .connectTimeout(Duration.ofSeconds(30)).build()) {
            for (int i = 0; i < CALLS; i++) {
                int target = i % 2 == 0 ? port : second.port();
                calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target + PROXY
                                + "/storm?call=" + i)).timeout(Duration.ofMinutes(3))
                        .header("Authorization", "Bearer " + token).header("X-Credential-Id", id).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        }

        assertThat(calls).extracting(c -> c.join().statusCode()).containsOnly(200).hasSize(CALLS);
        List<RecordedRequest> atServer = oauthServerRequests();
        assertThat(atServer).as("token requests at the OAuth server").singleElement().satisfies(r -> {
            assertThat(r.getPath()).isEqualTo("/storm/token");
            assertThat(r.getBody().readUtf8()).contains("grant_type=refresh_token");
        });
        assertThat(received().stream().filter(e -> e.getRequest().getUrl().equals("/storm/token"))).hasSize(1);
        var apiCalls = received().stream().filter(e -> e.getRequest().getUrl().startsWith("/api/storm")).toList();
        assertThat(apiCalls).hasSize(CALLS);
        assertThat(apiCalls.stream().map(e -> e.getRequest().getHeader("Authorization")).distinct())
                .singleElement().isNotEqualTo("Bearer " + oldAccess);
        assertThat(jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, id)).isEqualTo("ACTIVE");
        // Both instances served their half: each one's call log reaches the shared database.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long logged;
        do {
            callLog.flush();
            Thread.sleep(200);
            logged = jdbc.queryForObject("SELECT count(*) FROM proxy_calls WHERE credential_id = ? AND status = 200",
                    Long.class, id);
        } while (logged < CALLS && System.nanoTime() < deadline);
        assertThat(logged).isEqualTo(CALLS);
    }
}
