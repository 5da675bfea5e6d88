package io.plugboard.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.plugboard.api.CredentialsApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tenant A's tokens against tenant B's data, endpoint by endpoint: B's credentials are "not found", B's
 * data never appears, and B's rows are byte-for-byte unchanged afterwards. Both tenants have an end user
 * with the same external id, and connectors with the same appKeys, so nothing can pass by name alone.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationApiIT {

    private static final String SHARED_END_USER = "shared-user";
    private static final String B_ONLY_END_USER = "b-only-user";
    private static final String B_LABEL = "B's secret label";
    private static final String B_VENUE = "B venue";
    private static final String B_CUSTOM = "b-private";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private final WireMockServer provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private TestApi api;
    private TestTenant a;
    private TestTenant b;
    private String tokenA;
    private String tokenB;
    private String aCredential;
    private String bKey;
    private String bOAuth;
    private List<String> bSnapshot;

    @BeforeAll
    void twoTenants() {
        provider.start();
        provider.stubFor(post(urlPathMatching("/.*/revoke")).willReturn(aResponse().withStatus(200)));
        api = new TestApi(port);
        a = ApiFixtures.tenant(context, "iso-a", provider.baseUrl());
        b = ApiFixtures.tenant(context, "iso-b", provider.baseUrl());
        ApiFixtures.customConnector(context, b, B_CUSTOM, provider.baseUrl());
        tokenA = TestApi.token(a, "tenant");
        tokenB = TestApi.token(b, "tenant");
        aCredential = create(tokenA, Map.of("appKey", ApiFixtures.API_KEY, "endUserId", SHARED_END_USER,
                "endUserEmail", "a-user@a.example", "label", "A label", "fields", Map.of("apiKey", "a-key"),
                "metadata", Map.of("venue", "A venue")));
        bKey = create(tokenB, Map.of("appKey", ApiFixtures.API_KEY, "endUserId", SHARED_END_USER,
                "endUserEmail", "b-user@b.example", "label", B_LABEL, "fields", Map.of("apiKey", "b-key"),
                "metadata", Map.of("venue", B_VENUE)));
        bOAuth = create(tokenB, Map.of("appKey", ApiFixtures.OAUTH_BASIC, "endUserId", B_ONLY_END_USER,
                "endUserName", "Only in B", "metadata", Map.of("venue", B_VENUE),
                "tokens", Map.of("accessToken", "b-access", "refreshToken", "b-refresh")));
        create(tokenB, Map.of("appKey", B_CUSTOM, "endUserId", B_ONLY_END_USER, "fields", Map.of("apiKey", "b2")));
        bSnapshot = snapshotOfB();
        provider.resetRequests();
    }

    @AfterAll
    void stopProvider() {
        provider.stop();
    }

    @AfterEach
    void bIsUntouched() {
        assertThat(snapshotOfB()).as("tenant B's rows after the test").isEqualTo(bSnapshot);
        assertThat(provider.findAll(anyRequestedFor(anyUrl()))).as("calls to the provider").isEmpty();
    }

    @Test
    void getOneOfAnotherTenantsCredentialIsNotFound() {
        for (String token : tokensOfA()) {
            for (String id : List.of(bKey, bOAuth)) {
                var response = api.get("/api/v1/credentials/" + id, token);
                assertProblem(response, 404, null);
                assertNoDataOfB(response);
            }
        }
        assertThat(api.get("/api/v1/credentials/" + bKey, tokenB).status()).as("B itself").isEqualTo(200);
    }

    @Test
    void patchOfAnotherTenantsCredentialIsNotFoundAndChangesNothing() {
        for (String token : tokensOfA()) {
            for (String id : List.of(bKey, bOAuth)) {
                var response = api.patch("/api/v1/credentials/" + id, token,
                        "{\"label\":\"taken over\",\"metadata\":{\"venue\":\"A's now\"}}");
                assertProblem(response, 404, null);
                assertNoDataOfB(response);
            }
        }
    }

    @Test
    void deleteOfAnotherTenantsCredentialIsNotFoundRevokesNothingAndCallsNoProvider() {
        for (String token : tokensOfA()) {
            for (String id : List.of(bKey, bOAuth)) {
                var response = api.delete("/api/v1/credentials/" + id, token);
                assertProblem(response, 404, null);
                assertNoDataOfB(response);
            }
        }
    }

    @Test
    void listsNeverContainAnotherTenantsCredentialsWhateverTheFilter() {
        // Every credential of A belongs to the end user both tenants have (other tests may add some).
        List<String> allOfA = jdbc.queryForList("SELECT id FROM credentials WHERE tenant_id = ?", String.class, a.id());
        List<String> activeOfA = jdbc.queryForList("SELECT id FROM credentials WHERE tenant_id = ? AND status = 'ACTIVE'",
                String.class, a.id());
        assertThat(allOfA).contains(aCredential);
        for (String token : tokensOfA()) {
            assertThat(ids("", token)).containsExactlyInAnyOrderElementsOf(allOfA);
            assertThat(ids("endUserId=" + SHARED_END_USER, token)).containsExactlyInAnyOrderElementsOf(allOfA);
            assertThat(ids("endUserId=" + B_ONLY_END_USER, token)).isEmpty();
            assertThat(ids("appKey=" + B_CUSTOM, token)).isEmpty();
            assertThat(ids("appKey=" + ApiFixtures.OAUTH_BASIC, token)).isEmpty();
            assertThat(ids("metadata=" + URLEncoder.encode("venue=" + B_VENUE, StandardCharsets.UTF_8), token)).isEmpty();
            assertThat(ids("metadata=" + URLEncoder.encode("venue=A venue", StandardCharsets.UTF_8), token))
                    .containsExactly(aCredential);
            assertThat(ids("status=ACTIVE", token)).containsExactlyInAnyOrderElementsOf(activeOfA);
        }
        // A cursor taken from B's listing is only a position: in A's hands it still lists A's own rows.
        var pageOfB = api.get("/api/v1/credentials?limit=1", tokenB);
        String cursorOfB = pageOfB.json().path("nextCursor").asString();
        assertThat(cursorOfB).isNotBlank();
        var withCursor = api.get("/api/v1/credentials?cursor=" + cursorOfB, tokenA);
        assertThat(withCursor.status()).isEqualTo(200);
        assertNoDataOfB(withCursor);
    }

    @Test
    void endUsersNeverListAnotherTenantsEndUsers() {
        var all = api.get("/api/v1/end-users?limit=500", tokenA);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("items")).extracting(n -> n.path("id").asString()).containsExactly(SHARED_END_USER);
        assertThat(all.body()).doesNotContain("b-user@b.example").doesNotContain(B_ONLY_END_USER);
        assertThat(api.get("/api/v1/end-users?after=a", tokenA).json().path("items"))
                .extracting(n -> n.path("id").asString()).containsExactly(SHARED_END_USER);

        // A token of A whose subject is B's end user is an end user of A who does not exist there.
        String asBsUser = TestApi.token(a, B_ONLY_END_USER);
        assertThat(api.get("/api/v1/end-users", asBsUser).json().path("items")).isEmpty();
        assertThat(ids("", asBsUser)).isEmpty();
        var shared = api.get("/api/v1/end-users", TestApi.token(a, SHARED_END_USER));
        assertThat(shared.json().path("items").get(0).path("email").asString()).isEqualTo("a-user@a.example");
    }

    @Test
    void importCannotNameAnotherTenantsCustomConnectorNorTouchItsEndUsers() {
        var response = api.post("/api/v1/credentials", tokenA, TestApi.json(Map.of("appKey", B_CUSTOM,
                "endUserId", SHARED_END_USER, "fields", Map.of("apiKey", "k"))));
        assertProblem(response, 400, "appKey");
        assertThat(ids("appKey=" + B_CUSTOM, tokenA)).isEmpty();

        // Same external id in A: A's end user changes, B's keeps its e-mail.
        String created = create(tokenA, Map.of("appKey", ApiFixtures.API_KEY, "endUserId", SHARED_END_USER,
                "endUserEmail", "renamed@a.example", "fields", Map.of("apiKey", "k")));
        assertThat(api.get("/api/v1/credentials/" + created, tokenA).json().path("endUserEmail").asString())
                .isEqualTo("renamed@a.example");
        assertThat(api.delete("/api/v1/credentials/" + created, tokenA).status()).isEqualTo(200);
        jdbc.update("UPDATE end_users SET email = 'a-user@a.example' WHERE tenant_id = ? AND external_id = ?",
                a.id(), SHARED_END_USER);
    }

    @Test
    void connectorsNeverListAnotherTenantsCustomConnectors() {
        var response = api.get("/api/v1/connectors", tokenA);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("items")).extracting(n -> n.path("appKey").asString())
                .contains(ApiFixtures.API_KEY).doesNotContain(B_CUSTOM);
        assertThat(api.get("/api/v1/connectors", tokenB).json().path("items"))
                .extracting(n -> n.path("appKey").asString()).contains(B_CUSTOM);
    }

    // ------------------------------------------------------------------ helpers

    /** A tenant-level token, and an end-user token for the end-user id both tenants have. */
    private List<String> tokensOfA() {
        return List.of(tokenA, TestApi.token(a, SHARED_END_USER));
    }

    private void assertNoDataOfB(TestApi.Response response) {
        assertThat(response.body()).doesNotContain(B_LABEL).doesNotContain(B_VENUE).doesNotContain("b-user@b.example")
                .doesNotContain(B_ONLY_END_USER).doesNotContain("Only in B").doesNotContain(b.id().toString());
        if (response.status() == 200 && response.json().has("items")) {
            assertThat(response.json().path("items")).extracting(n -> n.path("id").asString())
                    .doesNotContain(bKey, bOAuth);
        }
    }

    private String create(String token, Map<String, Object> body) {
        var response = api.post("/api/v1/credentials", token, TestApi.json(body));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    private List<String> ids(String query, String token) {
        var response = api.get("/api/v1/credentials?limit=500" + (query.isEmpty() ? "" : "&" + query), token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertNoDataOfB(response);
        var ids = new ArrayList<String>();
        response.json().path("items").forEach(n -> ids.add(n.path("id").asString()));
        return ids;
    }

    /** Every column of B's credentials, end users and integrations, secrets included. */
    private List<String> snapshotOfB() {
        var rows = new ArrayList<String>();
        rows.addAll(jdbc.queryForList("SELECT row_to_json(c)::text FROM credentials c WHERE tenant_id = ? ORDER BY id",
                String.class, b.id()));
        rows.addAll(jdbc.queryForList("SELECT row_to_json(e)::text FROM end_users e WHERE tenant_id = ? ORDER BY id",
                String.class, b.id()));
        rows.addAll(jdbc.queryForList("SELECT row_to_json(i)::text FROM integrations i WHERE tenant_id = ? ORDER BY id",
                String.class, b.id()));
        rows.addAll(jdbc.queryForList("SELECT row_to_json(x)::text FROM custom_connectors x WHERE tenant_id = ? ORDER BY id",
                String.class, b.id()));
        assertThat(rows).hasSizeGreaterThan(6);
        return rows;
    }
}
