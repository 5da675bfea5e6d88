package io.plugboard.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The credentials endpoints over real HTTP, against a fresh tenant per test and a WireMock provider. */
@PlugboardTest
class CredentialsApiIT {

    private static WireMockServer provider;

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private TestApi api;
    private TestTenant tenant;
    private String token;

    @BeforeAll
    static void startProvider() {
        provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop();
    }

    @BeforeEach
    void freshTenant() {
        api = new TestApi(port);
        tenant = ApiFixtures.tenant(context, "cred", provider.baseUrl());
        token = TestApi.token(tenant, "tenant");
    }

    // ------------------------------------------------------------------ import

    @Test
    void importsAnApiKeyCredentialWithoutEverShowingOrStoringTheKeyInTheClear() {
        String key = "fub_live_" + UUID.randomUUID().toString().replace("-", "");
        var response = api.post("/api/v1/credentials", token, TestApi.json(Map.of(
                "appKey", ApiFixtures.BUILT_IN_API_KEY, "endUserId", "agent-1", "endUserEmail", "agent1@example.com",
                "label", "Main office", "fields", Map.of("apiKey", key))));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String id = response.json().path("id").asString();
        assertThat(id).matches("cred_[0-9A-Za-z]{24}");
        assertThat(response.headers().firstValue("Location")).get().asString().endsWith("/api/v1/credentials/" + id);
        assertThat(response.json().path("status").asString()).isEqualTo("ACTIVE");
        assertThat(response.json().path("appKey").asString()).isEqualTo(ApiFixtures.BUILT_IN_API_KEY);
        assertThat(response.json().path("endUserId").asString()).isEqualTo("agent-1");
        assertThat(response.json().path("label").asString()).isEqualTo("Main office");
        assertThat(response.body()).doesNotContain(key);

        var read = api.get("/api/v1/credentials/" + id, token);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("id").asString()).isEqualTo(id);
        assertThat(read.json().path("endUserEmail").asString()).isEqualTo("agent1@example.com");
        assertThat(read.body()).doesNotContain(key).doesNotContain("apiKey\":\"");

        assertSealed(id, key);
        assertThat(auditActions(id)).contains("credential.created");
    }

    @Test
    void importsOAuthTokensWithExpiryScopesAndRefreshToken() {
        String accessToken = "at-" + UUID.randomUUID();
        String refreshToken = "rt-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        var response = api.post("/api/v1/credentials", token, TestApi.json(Map.of(
                "appKey", ApiFixtures.OAUTH_BASIC, "endUserId", "venue-owner-1", "label", "Hall account",
                "metadata", Map.of("venue", "Main Hall", "seats", 120, "vip", true),
                "tokens", Map.of("accessToken", accessToken, "refreshToken", refreshToken, "tokenType", "Bearer",
                        "expiresAt", expiresAt.toString(), "scopes", List.of("read", "write")))));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode body = response.json();
        String id = body.path("id").asString();
        assertThat(Instant.parse(body.path("expiresAt").asString())).isEqualTo(expiresAt);
        assertThat(body.path("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
        assertThat(body.path("metadata").path("venue").asString()).isEqualTo("Main Hall");
        assertThat(body.path("metadata").path("seats").asInt()).isEqualTo(120);
        assertThat(body.path("metadata").path("vip").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain(accessToken).doesNotContain(refreshToken);
        assertThat(api.get("/api/v1/credentials/" + id, token).body())
                .doesNotContain(accessToken).doesNotContain(refreshToken);
        assertSealed(id, accessToken, refreshToken);
    }

    // ------------------------------------------------------------------ list

    @Test
    void listsNewestFirstWithACursorAcrossSeveralPages() {
        var created = new ArrayList<String>();
        for (int i = 0; i < 7; i++) {
            created.add(importKey("pager-" + (i % 2), "Hall " + i));
        }
        var seen = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get("/api/v1/credentials?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), token);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(item -> seen.add(item.path("id").asString()));
            JsonNode next = page.json().path("nextCursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asString();
            pages++;
            assertThat(pages).isLessThan(10);
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates().containsExactlyElementsOf(created.reversed());
    }

    @Test
    void listFiltersByConnectorStatusEndUserAndMetadata() {
        String hallA1 = importKey("filter-a", "Hall A");
        String hallA2 = importKey("filter-b", "Hall A");
        String hallB = importKey("filter-a", "Hall B");
        String fub = importFub("filter-b");
        String oauth = importOAuth("filter-c", Map.of("venue", "Hall A", "seats", 12), "rt-" + UUID.randomUUID());
        provider.stubFor(post(urlEqualTo(revokePath("basic"))).willReturn(aResponse().withStatus(200)));
        assertThat(api.delete("/api/v1/credentials/" + hallB, token).status()).isEqualTo(200);

        assertThat(ids("")).containsExactlyInAnyOrder(hallA1, hallA2, hallB, fub, oauth);
        assertThat(ids("appKey=" + ApiFixtures.API_KEY)).containsExactlyInAnyOrder(hallA1, hallA2, hallB);
        assertThat(ids("appKey=" + ApiFixtures.BUILT_IN_API_KEY)).containsExactly(fub);
        assertThat(ids("status=REVOKED")).containsExactly(hallB);
        assertThat(ids("status=active")).containsExactlyInAnyOrder(hallA1, hallA2, fub, oauth);
        assertThat(ids("endUserId=filter-a")).containsExactlyInAnyOrder(hallA1, hallB);
        assertThat(ids("endUserId=nobody")).isEmpty();
        assertThat(ids("metadata=" + enc("venue=Hall A"))).containsExactlyInAnyOrder(hallA1, hallA2, oauth);
        assertThat(ids("metadata=seats%3D12")).containsExactly(oauth);
        assertThat(ids("metadata=" + enc("venue=Hall A") + "&appKey=" + ApiFixtures.API_KEY + "&endUserId=filter-b"))
                .containsExactly(hallA2);
        assertThat(ids("metadata=" + enc("venue=Hall B") + "&status=ACTIVE")).isEmpty();
    }

    @Test
    void badListParametersAreProblemsNamingTheParameter() {
        assertProblem(api.get("/api/v1/credentials?status=BOGUS", token), 400, "status");
        assertProblem(api.get("/api/v1/credentials?metadata=novalue", token), 400, "metadata");
        assertProblem(api.get("/api/v1/credentials?limit=0", token), 400, "limit");
        assertProblem(api.get("/api/v1/credentials?limit=501", token), 400, "limit");
        assertProblem(api.get("/api/v1/credentials?limit=many", token), 400, "limit");
        assertProblem(api.get("/api/v1/credentials?cursor=not-a-cursor", token), 400, "cursor");
        assertProblem(api.get("/api/v1/end-users?limit=-1", token), 400, "limit");
        String nulCursor = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("1.0.cred_x\u0000y".getBytes(StandardCharsets.UTF_8));
        assertProblem(api.get("/api/v1/credentials?cursor=" + nulCursor, token), 400, "cursor");
    }

    @Test
    void controlCharactersInListParametersAreRefusedNotServerErrors() {
        for (String query : List.of("/api/v1/credentials?endUserId=a%00b", "/api/v1/credentials?appKey=a%00b",
                "/api/v1/credentials?metadata=venue%3Da%00b", "/api/v1/end-users?after=a%00b")) {
            var response = api.get(query, token);
            assertThat(response.status()).as(query + " " + response).isEqualTo(400);
        }
    }

    // ------------------------------------------------------------------ patch

    @Test
    void patchChangesLabelAndMetadataAndIsAudited() {
        String id = importOAuth("patcher", Map.of("venue", "Old Hall"), null);
        var response = api.patch("/api/v1/credentials/" + id, token, TestApi.json(Map.of(
                "label", "Renamed", "metadata", Map.of("venue", "New Hall", "seats", "42", "vip", "false"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var metadata = api.get("/api/v1/credentials/" + id, token).json().path("metadata");
        assertThat(metadata.path("venue").asString()).isEqualTo("New Hall");
        assertThat(metadata.path("seats").isNumber()).isTrue();
        assertThat(metadata.path("seats").asInt()).isEqualTo(42);
        assertThat(metadata.path("vip").isBoolean()).isTrue();
        assertThat(api.get("/api/v1/credentials/" + id, token).json().path("label").asString()).isEqualTo("Renamed");
        assertThat(auditActions(id)).contains("credential.metadata.updated");

        // Only the label: the metadata stays.
        assertThat(api.patch("/api/v1/credentials/" + id, token, "{\"label\":\"Again\"}").status()).isEqualTo(200);
        var after = api.get("/api/v1/credentials/" + id, token).json();
        assertThat(after.path("label").asString()).isEqualTo("Again");
        assertThat(after.path("metadata").path("venue").asString()).isEqualTo("New Hall");
    }

    @Test
    void patchValidatesMetadataAgainstTheConnectorsFields() {
        String id = importOAuth("validator", Map.of("venue", "Kept Hall", "seats", 7), null);
        String path = "/api/v1/credentials/" + id;

        assertProblem(api.patch(path, token, "{\"metadata\":{\"venue\":\"X\",\"colour\":\"red\"}}"), 400,
                "metadata.colour");
        assertProblem(api.patch(path, token, "{\"metadata\":{\"venue\":\"X\",\"seats\":\"many\"}}"), 400,
                "metadata.seats");
        assertProblem(api.patch(path, token, "{\"metadata\":{\"venue\":\"X\",\"vip\":\"yes\"}}"), 400,
                "metadata.vip");
        assertProblem(api.patch(path, token, "{\"metadata\":{\"venue\":{\"nested\":true}}}"), 400,
                "metadata.venue");
        assertProblem(api.patch(path, token, "{\"metadata\":{\"seats\":3}}"), 400, "metadata.venue");
        assertProblem(api.patch(path, token, "{\"metadata\":{\"venue\":\"  \"}}"), 400, "metadata.venue");
        assertProblem(api.patch(path, token, "{\"label\":\"" + "l".repeat(201) + "\"}"), 400, "label");

        var unchanged = api.get(path, token).json();
        assertThat(unchanged.path("metadata").path("venue").asString()).isEqualTo("Kept Hall");
        assertThat(unchanged.path("metadata").path("seats").asInt()).isEqualTo(7);
        assertThat(auditActions(id)).doesNotContain("credential.metadata.updated");
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badImportBodiesAreProblemsNamingTheField() {
        String path = "/api/v1/credentials";
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"u\",\"bogus\":1}"), 400, "bogus");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"u\","
                + "\"tokens\":{\"accessToken\":\"a\",\"sneaky\":1}}"), 400, "tokens.sneaky");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\","), 400, "body");
        assertProblem(api.post(path, token, "not json at all"), 400, "body");
        assertProblem(api.post(path, token, ""), 400, "body");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"u\",\"fields\":\"text\"}"),
                400, "fields");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"u\",\"metadata\":[1]}"),
                400, "metadata");
        assertProblem(api.post(path, token, "{\"appKey\":\"" + ApiFixtures.OAUTH_BASIC + "\",\"endUserId\":\"u\","
                + "\"tokens\":{\"accessToken\":\"a\",\"expiresAt\":\"tomorrow\"}}"), 400, "tokens.expiresAt");
        assertProblem(api.post(path, token, "{\"appKey\":\"" + ApiFixtures.OAUTH_BASIC + "\",\"endUserId\":\"u\","
                + "\"tokens\":{\"accessToken\":\"a\",\"scopes\":{\"a\":1}}}"), 400, "tokens.scopes");
        assertProblem(api.post(path, token, "{\"endUserId\":\"u\"}"), 400, "appKey");
        assertProblem(api.post(path, token, "{\"appKey\":\"no-such-connector\",\"endUserId\":\"u\"}"), 400, "appKey");
        assertProblem(api.post(path, token, "{\"appKey\":\"" + ApiFixtures.BUILT_IN_DISABLED + "\",\"endUserId\":\"u\","
                + "\"tokens\":{\"accessToken\":\"a\"}}"), 400, "appKey");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"fields\":{\"apiKey\":\"k\"}}"), 400,
                "endUserId");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"u\"}"), 400, "fields.apiKey");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"u\","
                + "\"fields\":{\"apiKey\":\"k\",\"other\":\"x\"}}"), 400, "fields.other");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"u\","
                + "\"fields\":{\"apiKey\":\"k\"},\"tokens\":{\"accessToken\":\"a\"}}"), 400, "tokens");
        assertProblem(api.post(path, token, "{\"appKey\":\"" + ApiFixtures.OAUTH_BASIC + "\",\"endUserId\":\"u\","
                + "\"metadata\":{\"venue\":\"V\"}}"), 400, "tokens");
        assertProblem(api.post(path, token, "{\"appKey\":\"" + ApiFixtures.OAUTH_BASIC + "\",\"endUserId\":\"u\","
                + "\"metadata\":{\"venue\":\"V\"},\"tokens\":{\"accessToken\":\" \"}}"), 400, "tokens.accessToken");
        assertProblem(api.post(path, token, "{\"appKey\":\"" + ApiFixtures.OAUTH_BASIC + "\",\"endUserId\":\"u\","
                + "\"tokens\":{\"accessToken\":\"a\"}}"), 400, "metadata.venue");
        assertProblem(api.post(path, token, "{\"appKey\":\"stand-in-key\",\"endUserId\":\"" + "u".repeat(201)
                + "\",\"fields\":{\"apiKey\":\"k\"}}"), 400, "endUserId");

        String id = importKey("patch-target", "V");
        assertProblem(api.patch("/api/v1/credentials/" + id, token, "{\"label\":\"x\",\"bogus\":true}"), 400, "bogus");
        assertProblem(api.patch("/api/v1/credentials/" + id, token, "{\"metadata\":\"venue\"}"), 400, "metadata");
        assertProblem(api.patch("/api/v1/credentials/" + id, token, "{"), 400, "body");

        assertThat(ids("")).containsExactly(id);
    }

    @Test
    void wrongMediaTypesAreProblems() {
        var plain = api.send("POST", "/api/v1/credentials", token,
                HttpRequest.BodyPublishers.ofString("{\"appKey\":\"x\"}"), false);
        assertProblem(plain, 415, null);
        var html = api.getAccepting("/api/v1/credentials/cred_doesNotExist0000000000", token, "text/html");
        assertThat(html.status()).as(html.toString()).isIn(404, 406);
        var htmlList = api.getAccepting("/api/v1/credentials?limit=0", token, "text/html");
        assertThat(htmlList.status()).as(htmlList.toString()).isIn(400, 406);
    }

    @Test
    void inputsTheDatabaseCannotStoreAreProblemsNotServerErrors() {
        String path = "/api/v1/credentials";
        var base = new LinkedHashMap<String, Object>();
        base.put("appKey", ApiFixtures.API_KEY);
        base.put("endUserId", "db-limits");
        base.put("fields", Map.of("apiKey", "k"));

        assertProblem(api.post(path, token, TestApi.json(with(base, "label", "nul\u0000label"))), 400, "label");
        assertProblem(api.post(path, token, TestApi.json(with(base, "endUserId", "nul\u0000user"))), 400, "endUserId");
        assertProblem(api.post(path, token, TestApi.json(with(base, "endUserEmail", "e".repeat(300) + "@x.example"))),
                400, "endUserEmail");
        assertProblem(api.post(path, token, TestApi.json(with(base, "endUserName", "n".repeat(201)))), 400,
                "endUserName");
        assertProblem(api.post(path, token, TestApi.json(with(base, "fields", Map.of("apiKey", "k",
                "account", "nul\u0000account")))), 400, "fields.account");
        assertProblem(api.post(path, token, TestApi.json(with(base, "metadata", Map.of("venue", "nul\u0000venue")))),
                400, "metadata.venue");

        var oauth = new LinkedHashMap<String, Object>();
        oauth.put("appKey", ApiFixtures.OAUTH_BASIC);
        oauth.put("endUserId", "db-limits");
        oauth.put("metadata", Map.of("venue", "V", "seats", "1e999999999"));
        oauth.put("tokens", Map.of("accessToken", "a"));
        assertProblem(api.post(path, token, TestApi.json(oauth)), 400, "metadata.seats");
        oauth.put("metadata", Map.of("venue", "V"));
        var scopes = new ArrayList<String>();
        for (int i = 0; i < 300; i++) {
            scopes.add("scope-number-" + i);
        }
        oauth.put("tokens", Map.of("accessToken", "a", "scopes", scopes));
        assertProblem(api.post(path, token, TestApi.json(oauth)), 400, "tokens.scopes");
        // Scopes are stored space-separated: one with a space would come back as two.
        oauth.put("tokens", Map.of("accessToken", "a", "scopes", List.of("read write")));
        assertProblem(api.post(path, token, TestApi.json(oauth)), 400, "tokens.scopes");

        String id = importKey("db-limits", "V");
        assertProblem(api.patch("/api/v1/credentials/" + id, token, TestApi.json(Map.of("label", "a\u0000b"))), 400,
                "label");
        assertProblem(api.patch("/api/v1/credentials/" + id, token,
                TestApi.json(Map.of("metadata", Map.of("venue", "a\u0000b")))), 400, "metadata.venue");
        assertThat(ids("")).containsExactly(id);
    }

    @Test
    void oversizedBodiesAreRefusedWith413WhetherAnnouncedOrChunked() {
        String label = "x".repeat(1_100_000);
        String json = TestApi.json(Map.of("appKey", ApiFixtures.API_KEY, "endUserId", "big",
                "fields", Map.of("apiKey", "k"), "label", label));

        var announced = api.post("/api/v1/credentials", token, json);
        assertProblem(announced, 413, null);

        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        var chunked = api.send("POST", "/api/v1/credentials", token,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), true);
        assertProblem(chunked, 413, null);
        assertThat(ids("")).isEmpty();
    }

    // ------------------------------------------------------------------ revoke

    @Test
    void revokeCallsTheProviderWithClientSecretBasicAndDestroysTheSecret() {
        String refreshToken = "rt-" + UUID.randomUUID();
        String id = importOAuth("revoker", Map.of("venue", "V"), refreshToken);
        String revokePath = revokePath("basic");
        provider.stubFor(post(urlEqualTo(revokePath)).willReturn(aResponse().withStatus(200)));

        var response = api.delete("/api/v1/credentials/" + id, token);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("REVOKED");
        assertThat(response.json().path("revokedAt").isNull()).isFalse();
        assertThat(response.json().path("revokedBy").asString()).isEqualTo("api:tenant");
        List<LoggedRequest> calls = provider.findAll(postRequestedFor(urlEqualTo(revokePath)));
        assertThat(calls).hasSize(1);
        LoggedRequest call = calls.getFirst();
        assertThat(call.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = form(call.getBodyAsString());
        assertThat(form).containsEntry("token", refreshToken).containsEntry("token_type_hint", "refresh_token")
                .doesNotContainKeys("client_id", "client_secret");
        // RFC 6749 §2.3.1: id and secret are form-encoded, then joined with ':' and Base64-encoded.
        String expected = Base64.getEncoder().encodeToString((enc(ApiFixtures.APP_CLIENT_ID) + ":"
                + enc(ApiFixtures.APP_CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8));
        assertThat(call.getHeader("Authorization")).isEqualTo("Basic " + expected);

        assertThat(jdbc.queryForObject("SELECT secret FROM credentials WHERE id = ?", byte[].class, id)).isNull();
        JsonNode atProvider = response.json().path("providerRevocation");
        assertThat(atProvider.path("status").asString()).isEqualTo("done");
        assertThat(atProvider.path("attempts").asInt()).isEqualTo(1);
        assertThat(atProvider.path("lastAttemptAt").isNull()).isFalse();
        assertThat(atProvider.path("lastError").isNull()).isTrue();
        assertThat(auditActions(id)).contains("credential.revoked", "credential.provider_revocation.done")
                .doesNotContain("credential.provider_revocation.failed");

        // Revoked is final: no edits, and a second DELETE neither fails nor calls the provider again.
        assertProblem(api.patch("/api/v1/credentials/" + id, token, "{\"label\":\"again\"}"), 400, null);
        var again = api.delete("/api/v1/credentials/" + id, token);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("status").asString()).isEqualTo("REVOKED");
        assertThat(provider.findAll(postRequestedFor(urlEqualTo(revokePath)))).hasSize(1);
    }

    @Test
    void revokeCallsTheProviderWithClientSecretPostAndTheAccessTokenWhenThereIsNoRefreshToken() {
        String id = importCredential(ApiFixtures.OAUTH_POST, "revoker", Map.of("venue", "V"), null);
        String accessToken = accessTokenOf(id);
        String revokePath = revokePath("post");
        provider.stubFor(post(urlEqualTo(revokePath)).willReturn(aResponse().withStatus(200)));

        assertThat(api.delete("/api/v1/credentials/" + id, token).status()).isEqualTo(200);

        List<LoggedRequest> calls = provider.findAll(postRequestedFor(urlEqualTo(revokePath)));
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().containsHeader("Authorization")).isFalse();
        assertThat(form(calls.getFirst().getBodyAsString()))
                .containsEntry("token", accessToken)
                .containsEntry("token_type_hint", "access_token")
                .containsEntry("client_id", ApiFixtures.APP_CLIENT_ID)
                .containsEntry("client_secret", ApiFixtures.APP_CLIENT_SECRET);
        assertThat(api.get("/api/v1/credentials/" + id, token).json().path("status").asString()).isEqualTo("REVOKED");
    }

    @Test
    void aProviderFailureRevokesLocallyAndLeavesTheProviderRevocationPending() {
        String refreshToken = "rt-" + UUID.randomUUID();
        String id = importOAuth("unlucky", Map.of("venue", "V"), refreshToken);
        provider.stubFor(post(urlEqualTo(revokePath("basic"))).willReturn(aResponse().withStatus(500)
                .withBody("{\"error\":\"temporarily_unavailable\",\"trace\":\"provider-internal-detail\"}")));

        var response = api.delete("/api/v1/credentials/" + id, token);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("REVOKED");
        JsonNode atProvider = response.json().path("providerRevocation");
        assertThat(atProvider.path("status").asString()).isEqualTo("pending");
        assertThat(atProvider.path("attempts").asInt()).isEqualTo(1);
        assertThat(atProvider.path("lastError").asString()).isEqualTo("HTTP 500");
        assertThat(Instant.parse(atProvider.path("nextAttemptAt").asString())).isAfter(Instant.now());
        assertThat(response.body()).doesNotContain("provider-internal-detail").doesNotContain(refreshToken);
        assertThat(api.get("/api/v1/credentials/" + id, token).json().path("providerRevocation").path("status")
                .asString()).isEqualTo("pending");
        assertThat(provider.findAll(postRequestedFor(urlEqualTo(revokePath("basic"))))).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT secret FROM credentials WHERE id = ?", byte[].class, id)).isNull();
        assertThat(jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, id))
                .isEqualTo("REVOKED");
        // What the retries need is kept sealed (bound to the row), never in the clear.
        byte[] material = jdbc.queryForObject("SELECT material FROM provider_revocations WHERE credential_id = ?",
                byte[].class, id);
        assertThat(material).isNotNull();
        assertThat(new String(material, StandardCharsets.ISO_8859_1)).doesNotContain(refreshToken)
                .doesNotContain(ApiFixtures.APP_CLIENT_SECRET);
        // Not final yet: only the revocation is audited, with what the provider answered.
        assertThat(auditActions(id)).contains("credential.revoked")
                .doesNotContain("credential.provider_revocation.failed", "credential.provider_revocation.done");
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE target_id = ? AND action = ?",
                String.class, id, "credential.revoked")).contains("HTTP 500");
        assertProblem(api.patch("/api/v1/credentials/" + id, token, "{\"label\":\"again\"}"), 400, null);
    }

    @Test
    void aProviderThatRefusesTheClientFailsTheProviderRevocationAtOnce() {
        String id = importOAuth("refused", Map.of("venue", "V"), "rt-" + UUID.randomUUID());
        provider.stubFor(post(urlEqualTo(revokePath("basic"))).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid_client\"}")));

        var response = api.delete("/api/v1/credentials/" + id, token);

        JsonNode atProvider = response.json().path("providerRevocation");
        assertThat(atProvider.path("status").asString()).isEqualTo("failed");
        assertThat(atProvider.path("attempts").asInt()).isEqualTo(1);
        assertThat(atProvider.path("lastError").asString()).isEqualTo("HTTP 401 invalid_client");
        assertThat(jdbc.queryForObject("SELECT material FROM provider_revocations WHERE credential_id = ?",
                byte[].class, id)).isNull();
        assertThat(auditActions(id)).contains("credential.revoked", "credential.provider_revocation.failed");
    }

    @Test
    void anUnsupportedTokenTypeIsFinalAndAnAlreadyInvalidTokenIsDone() {
        String unsupported = importOAuth("unsupported", Map.of("venue", "V"), "rt-" + UUID.randomUUID());
        provider.stubFor(post(urlEqualTo(revokePath("basic"))).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"unsupported_token_type\"}")));
        assertThat(api.delete("/api/v1/credentials/" + unsupported, token).json().path("providerRevocation")
                .path("status").asString()).isEqualTo("failed");

        // RFC 7009 2.2: an invalid token is not an error, the revocation's purpose is already achieved.
        String invalid = importOAuth("invalid", Map.of("venue", "V"), "rt-" + UUID.randomUUID());
        provider.stubFor(post(urlEqualTo(revokePath("basic"))).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"invalid_token\"}")));
        assertThat(api.delete("/api/v1/credentials/" + invalid, token).json().path("providerRevocation")
                .path("status").asString()).isEqualTo("done");
    }

    @Test
    void anUnreachableProviderStillRevokesLocally() {
        TestTenant offline = ApiFixtures.tenant(context, "cred-offline", "http://localhost:" + closedPort());
        String offlineToken = TestApi.token(offline, "tenant");
        var created = api.post("/api/v1/credentials", offlineToken, TestApi.json(Map.of(
                "appKey", ApiFixtures.OAUTH_BASIC, "endUserId", "u", "metadata", Map.of("venue", "V"),
                "tokens", Map.of("accessToken", "at-offline"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();

        var response = api.delete("/api/v1/credentials/" + id, offlineToken);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("REVOKED");
        assertThat(response.json().path("providerRevocation").path("status").asString()).isEqualTo("pending");
        assertThat(response.json().path("providerRevocation").path("lastError").asString())
                .startsWith("provider unreachable");
        assertThat(auditActions(offline, id)).contains("credential.revoked");
    }

    @Test
    void revokeAfterTheIntegrationWasDisabledStillAuthenticatesTheClient() {
        String refreshToken = "rt-" + UUID.randomUUID();
        String id = importOAuth("offboarded", Map.of("venue", "V"), refreshToken);
        provider.stubFor(post(urlEqualTo(revokePath("basic"))).willReturn(aResponse().withStatus(200)));
        // Offboarding: the admin switches the connector off first (its OAuth app stays stored), then revokes.
        SignedIn.as(jdbc, tenant.adminEmail());
        try {
            context.getBean(IntegrationService.class).update(tenant.id(), ApiFixtures.OAUTH_BASIC,
                    new IntegrationUpdate(false, ApiFixtures.APP_CLIENT_ID, null, List.of()));
        } finally {
            SignedIn.out();
        }

        assertThat(api.delete("/api/v1/credentials/" + id, token).status()).isEqualTo(200);

        List<LoggedRequest> calls = provider.findAll(postRequestedFor(urlEqualTo(revokePath("basic"))));
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().getHeader("Authorization")).as("client authentication").startsWith("Basic ");
        assertThat(form(calls.getFirst().getBodyAsString())).containsEntry("token", refreshToken);
    }

    @Test
    void revokingAnApiKeyCredentialNeedsNoProvider() {
        String key = "key-" + UUID.randomUUID();
        String id = importCredential(ApiFixtures.BUILT_IN_API_KEY, "fub-user", null, key);
        var response = api.delete("/api/v1/credentials/" + id, token);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("REVOKED");
        assertThat(jdbc.queryForObject("SELECT secret FROM credentials WHERE id = ?", byte[].class, id)).isNull();
        assertThat(response.json().path("providerRevocation").path("status").asString()).isEqualTo("not_supported");
        assertThat(response.json().path("providerRevocation").path("attempts").asInt()).isZero();
        assertThat(auditActions(id)).contains("credential.revoked")
                .doesNotContain("credential.provider_revocation.done", "credential.provider_revocation.failed");
        // Only revoked credentials say anything about the provider.
        String active = importCredential(ApiFixtures.BUILT_IN_API_KEY, "fub-user", null, "key-" + UUID.randomUUID());
        assertThat(api.get("/api/v1/credentials/" + active, token).json().path("providerRevocation").isNull()).isTrue();
    }

    // ------------------------------------------------------------------ end-user tokens

    @Test
    void anEndUserTokenSeesAndChangesOnlyThatEndUsersCredentials() {
        String mine1 = importKey("alice", "A1");
        String mine2 = importKey("alice", "A2");
        String theirs = importKey("bob", "B1");
        String alice = TestApi.token(tenant, "alice");

        assertThat(ids("", alice)).containsExactlyInAnyOrder(mine1, mine2);
        assertThat(ids("endUserId=bob", alice)).isEmpty();
        assertThat(ids("endUserId=alice", alice)).containsExactlyInAnyOrder(mine1, mine2);
        assertThat(ids("metadata=" + enc("venue=B1"), alice)).isEmpty();
        assertThat(api.get("/api/v1/credentials/" + mine1, alice).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/credentials/" + theirs, alice), 404, null);
        assertProblem(api.patch("/api/v1/credentials/" + theirs, alice, "{\"label\":\"mine now\"}"), 404, null);
        assertProblem(api.delete("/api/v1/credentials/" + theirs, alice), 404, null);
        var bobs = api.get("/api/v1/credentials/" + theirs, token).json();
        assertThat(bobs.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(bobs.path("label").isNull()).isTrue();

        var endUsers = api.get("/api/v1/end-users", alice);
        assertThat(endUsers.status()).isEqualTo(200);
        assertThat(endUsers.json().path("items")).extracting(n -> n.path("id").asString()).containsExactly("alice");
        assertThat(api.get("/api/v1/end-users", token).json().path("items"))
                .extracting(n -> n.path("id").asString()).containsExactly("alice", "bob");

        assertProblem(api.post("/api/v1/credentials", alice, TestApi.json(Map.of("appKey", ApiFixtures.API_KEY,
                "endUserId", "bob", "fields", Map.of("apiKey", "k")))), 400, "endUserId");
        assertThat(api.post("/api/v1/credentials", alice, TestApi.json(Map.of("appKey", ApiFixtures.API_KEY,
                "endUserId", "alice", "fields", Map.of("apiKey", "k")))).status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/credentials/" + mine1, alice).json().path("revokedBy").asString())
                .isEqualTo("api:alice");
    }

    @Test
    void anEndUserTokenFindsItsEndUserInATenantWithManyEndUsers() {
        jdbc.update("""
                INSERT INTO end_users (id, tenant_id, external_id, created_at)
                SELECT gen_random_uuid(), ?, 'bulk-' || lpad(n::text, 4, '0'), now() FROM generate_series(1, 600) n""",
                tenant.id());
        importKey("zed", "Z");
        var response = api.get("/api/v1/end-users", TestApi.token(tenant, "zed"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("items")).extracting(n -> n.path("id").asString()).containsExactly("zed");
    }

    @Test
    void tenantLevelSubjectsMayBeNamedButNotUnboundedlyLong() {
        String named = TestApi.token(tenant, "tenant:billing-sync");
        var created = api.post("/api/v1/credentials", named, TestApi.json(Map.of("appKey", ApiFixtures.API_KEY,
                "endUserId", "someone", "fields", Map.of("apiKey", "k"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String longSubject = TestApi.token(tenant, "tenant:" + "s".repeat(300));
        var refused = api.post("/api/v1/credentials", longSubject, TestApi.json(Map.of("appKey", ApiFixtures.API_KEY,
                "endUserId", "someone", "fields", Map.of("apiKey", "k"))));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.json().path("rule").asString()).isEqualTo("sub");
    }

    // ------------------------------------------------------------------ connectors

    @Test
    void connectorsListsTheBuiltInsAndOnlyThisTenantsCustomConnectors() {
        TestTenant other = ApiFixtures.tenant(context, "cred-other", provider.baseUrl());
        ApiFixtures.customConnector(context, other, "only-theirs", provider.baseUrl());

        var response = api.get("/api/v1/connectors", token);

        assertThat(response.status()).isEqualTo(200);
        var byKey = new LinkedHashMap<String, JsonNode>();
        response.json().path("items").forEach(n -> byKey.put(n.path("appKey").asString(), n));
        assertThat(byKey).containsKeys("followupboss", "lofty", "skyslope", "roller", "hubspot", "salesforce",
                ApiFixtures.OAUTH_BASIC, ApiFixtures.OAUTH_POST, ApiFixtures.API_KEY).doesNotContainKey("only-theirs");
        assertThat(byKey.values().stream().filter(n -> n.path("source").asString().equals("BUILT_IN")).count())
                .isGreaterThanOrEqualTo(25);
        assertThat(byKey.values().stream().filter(n -> n.path("source").asString().equals("CUSTOM")))
                .extracting(n -> n.path("appKey").asString())
                .containsExactlyInAnyOrder(ApiFixtures.OAUTH_BASIC, ApiFixtures.OAUTH_POST, ApiFixtures.API_KEY);
        assertThat(byKey.get(ApiFixtures.OAUTH_BASIC).path("enabled").asBoolean()).isTrue();
        assertThat(byKey.get("followupboss").path("enabled").asBoolean()).isTrue();
        assertThat(byKey.get("hubspot").path("enabled").asBoolean()).isFalse();
        var venue = byKey.get(ApiFixtures.OAUTH_BASIC).path("metadata").get(0);
        assertThat(venue.path("key").asString()).isEqualTo("venue");
        assertThat(venue.path("required").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain(ApiFixtures.APP_CLIENT_SECRET);

        var theirs = api.get("/api/v1/connectors", TestApi.token(other, "tenant"));
        assertThat(theirs.body()).contains("\"only-theirs\"");
    }

    // ------------------------------------------------------------------ helpers

    private String importKey(String endUser, String venue) {
        return importCredential(ApiFixtures.API_KEY, endUser, Map.of("venue", venue), "key-" + UUID.randomUUID());
    }

    private String importFub(String endUser) {
        return importCredential(ApiFixtures.BUILT_IN_API_KEY, endUser, null, "fub-" + UUID.randomUUID());
    }

    private String importOAuth(String endUser, Map<String, Object> metadata, String refreshToken) {
        var tokens = new LinkedHashMap<String, Object>();
        tokens.put("accessToken", "at-" + UUID.randomUUID());
        if (refreshToken != null) {
            tokens.put("refreshToken", refreshToken);
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("appKey", ApiFixtures.OAUTH_BASIC);
        body.put("endUserId", endUser);
        body.put("metadata", metadata);
        body.put("tokens", tokens);
        var response = api.post("/api/v1/credentials", token, TestApi.json(body));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    private final Map<String, String> accessTokens = new LinkedHashMap<>();

    /** API-key connectors get {@code secret} as their key; OAuth ones a fresh access token. */
    private String importCredential(String appKey, String endUser, Map<String, Object> metadata, String secret) {
        var body = new LinkedHashMap<String, Object>();
        body.put("appKey", appKey);
        body.put("endUserId", endUser);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        String accessToken = null;
        if (appKey.equals(ApiFixtures.OAUTH_BASIC) || appKey.equals(ApiFixtures.OAUTH_POST)) {
            accessToken = "at-" + UUID.randomUUID();
            body.put("tokens", Map.of("accessToken", accessToken));
        } else {
            body.put("fields", Map.of("apiKey", secret));
        }
        var response = api.post("/api/v1/credentials", token, TestApi.json(body));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String id = response.json().path("id").asString();
        if (accessToken != null) {
            accessTokens.put(id, accessToken);
        }
        return id;
    }

    private String accessTokenOf(String id) {
        return accessTokens.get(id);
    }

    private List<String> ids(String query) {
        return ids(query, token);
    }

    private List<String> ids(String query, String bearer) {
        var response = api.get("/api/v1/credentials?limit=500" + (query.isEmpty() ? "" : "&" + query), bearer);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var ids = new ArrayList<String>();
        response.json().path("items").forEach(n -> ids.add(n.path("id").asString()));
        return ids;
    }

    private String revokePath(String kind) {
        return "/" + tenant.slug() + "/" + kind + "/revoke";
    }

    private List<String> auditActions(String credentialId) {
        return auditActions(tenant, credentialId);
    }

    private List<String> auditActions(TestTenant owner, String credentialId) {
        return jdbc.queryForList("SELECT action FROM audit_events WHERE tenant_id = ? AND target_id = ? ORDER BY seq",
                String.class, owner.id(), credentialId);
    }

    /** The sealed column holds none of the secrets' bytes, nor their Base64. */
    private void assertSealed(String id, String... secrets) {
        byte[] sealed = jdbc.queryForObject("SELECT secret FROM credentials WHERE id = ?", byte[].class, id);
        assertThat(sealed).isNotNull().isNotEmpty();
        for (String secret : secrets) {
            byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
            assertThat(indexOf(sealed, raw)).as("plain secret in the column").isEqualTo(-1);
            assertThat(indexOf(sealed, Base64.getEncoder().encode(raw))).as("Base64 secret in the column").isEqualTo(-1);
        }
    }

    static void assertProblem(TestApi.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        var body = response.json();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(body.path("field").asString()).as(response.toString()).isEqualTo(field);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.plugboard.");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        var copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, String> form(String body) {
        var form = new LinkedHashMap<String, String>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int closedPort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
