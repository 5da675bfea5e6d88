package io.plugboard.api;

import static io.plugboard.api.CredentialsApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.RawHttp;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Input the database cannot hold, and requests the servlet container refuses, answer 400-range
 * problem+json naming what is wrong: never a 500, never Tomcat's HTML page or Boot's error JSON.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiInputValidationIT {

    /** A JSON string holding a lone high surrogate: valid JSON, but no UTF-8 (and no database column) can hold it. */
    private static final String LONE_SURROGATE = "\"a\\ud800b\"";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private TestApi api;
    private TestTenant tenant;
    private String token;
    private String credential;

    @BeforeAll
    void tenant() {
        api = new TestApi(port);
        tenant = ApiFixtures.tenant(context, "input", "http://127.0.0.1:9");
        token = TestApi.token(tenant, "tenant");
        var created = api.post("/api/v1/credentials", token, TestApi.json(Map.of(
                "appKey", ApiFixtures.API_KEY, "endUserId", "input-user", "label", "Kept",
                "fields", Map.of("apiKey", "k-123"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        credential = created.json().path("id").asString();
    }

    // ------------------------------------------------------------------ connect sessions

    @Test
    void endUserFieldsLongerThanTheirColumnsAreRefusedByName() {
        assertProblem(session(Map.of("id", "u1", "email", "e".repeat(290) + "@example.com")), 400, "endUser.email");
        assertProblem(session(Map.of("id", "u1", "displayName", "n".repeat(250))), 400, "endUser.displayName");
        assertProblem(session(Map.of("id", "u".repeat(201))), 400, "endUser.id");
    }

    @Test
    void nulCharactersInSessionFieldsAreRefusedByName() {
        assertProblem(session(Map.of("id", "u\u00001")), 400, "endUser.id");
        assertProblem(session(Map.of("id", "u1", "email", "a\u0000@example.com")), 400, "endUser.email");
        assertProblem(session(Map.of("id", "u1", "displayName", "An\u0000na")), 400, "endUser.displayName");
        assertProblem(api.post("/api/v1/connect-sessions", token, TestApi.json(Map.of("endUser", Map.of("id", "u1"),
                "metadata", Map.of(ApiFixtures.API_KEY, Map.of("venue", "Hall\u0000A"))))), 400,
                "metadata." + ApiFixtures.API_KEY + ".venue");
        var prefill = api.post("/api/v1/connect-sessions", token, TestApi.json(Map.of("endUser", Map.of("id", "u1"),
                "prefill", Map.of(ApiFixtures.API_KEY, Map.of("account", "acc\u0000")))));
        assertProblem(prefill, 400, "prefill." + ApiFixtures.API_KEY + ".account");
        assertThat(prefill.json().path("detail").asString()).contains("NUL");
    }

    @Test
    void nullsInListsAreRefusedByPosition() {
        assertProblem(api.post("/api/v1/connect-sessions", token,
                "{\"endUser\":{\"id\":\"u1\"},\"allowedConnectors\":[null]}"), 400, "allowedConnectors[0]");
        assertProblem(api.post("/api/v1/connect-sessions", token,
                "{\"endUser\":{\"id\":\"u1\"},\"allowedConnectors\":[\"" + ApiFixtures.API_KEY + "\",null]}"), 400,
                "allowedConnectors[1]");
    }

    @Test
    void loneSurrogatesAreRefusedNotStoredAsQuestionMarks() {
        assertProblem(api.post("/api/v1/connect-sessions", token,
                "{\"endUser\":{\"id\":\"u1\",\"displayName\":" + LONE_SURROGATE + "}}"), 400, "endUser.displayName");
        assertProblem(api.patch("/api/v1/credentials/" + credential, token, "{\"label\":" + LONE_SURROGATE + "}"),
                400, "label");
        assertThat(api.get("/api/v1/credentials/" + credential, token).json().path("label").asString())
                .isEqualTo("Kept");
        // A well-formed pair (an emoji) is fine.
        var emoji = api.patch("/api/v1/credentials/" + credential, token, "{\"label\":\"Hall \\ud83c\\udfaa\"}");
        assertThat(emoji.status()).as(emoji.toString()).isEqualTo(200);
        assertThat(emoji.json().path("label").asString()).isEqualTo("Hall \uD83C\uDFAA");
    }

    // ------------------------------------------------------------------ credentials

    @Test
    void importedCredentialTextIsCheckedAgainstItsColumns() {
        var base = new LinkedHashMap<String, Object>(Map.of("appKey", ApiFixtures.API_KEY, "endUserId", "imp-1",
                "fields", Map.of("apiKey", "k-1")));
        assertProblem(importing(base, "endUserEmail", "x".repeat(300)), 400, "endUserEmail");
        assertProblem(importing(base, "endUserEmail", "a\u0000@example.com"), 400, "endUserEmail");
        assertProblem(importing(base, "endUserName", "N\u0000"), 400, "endUserName");
        assertProblem(importing(base, "endUserId", "imp\u00001"), 400, "endUserId");
        assertProblem(importing(base, "appKey", "x".repeat(10_000)), 400, "appKey");
        assertProblem(importing(base, "appKey", "stand\u0000-in"), 400, "appKey");
        assertProblem(importing(base, "metadata", Map.of("venue", "Hall\u0000")), 400, "metadata.venue");
        assertProblem(importing(base, "fields", Map.of("apiKey", "k", "account", "a".repeat(10_000))), 400,
                "fields.account");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM end_users WHERE tenant_id = ? AND external_id LIKE 'imp%'",
                Long.class, tenant.id())).isZero();
    }

    @Test
    void aCursorWithATimestampOutsideTheDatabaseRangeIsRefused() {
        for (String raw : List.of("99999999999999.0.cred_aaaaaaaaaaaaaaaaaaaaaaaa",
                "-99999999999999.0.cred_aaaaaaaaaaaaaaaaaaaaaaaa", "1.-5.cred_aaaaaaaaaaaaaaaaaaaaaaaa")) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            assertProblem(api.get("/api/v1/credentials?cursor=" + cursor, token), 400, "cursor");
        }
    }

    @Test
    void overlongQueryParametersAreRefusedByName() {
        assertProblem(api.get("/api/v1/credentials?endUserId=" + "u".repeat(5000), token), 400, "endUserId");
        assertProblem(api.get("/api/v1/end-users?after=" + "u".repeat(5000), token), 400, "after");
        assertProblem(api.get("/api/v1/credentials?limit=99999999999999999999", token), 400, "limit");
    }

    @Test
    void idsThatCannotExistAreProblems() {
        for (String id : List.of("a%00b", "a%0Ab", "%25", "x".repeat(3000), "%E2%80%8B")) {
            var response = api.get("/api/v1/connect-sessions/" + id, token);
            assertThat(response.status()).as(id + " " + response).isIn(400, 404);
            assertProblem(response, response.status(), null);
        }
    }

    // ------------------------------------------------------------------ container-level rejections

    @Test
    void invalidPercentEncodingsInTheQueryAreProblems() throws IOException {
        for (String query : List.of("endUserId=%FF%FE", "endUserId=%C0%80", "endUserId=%ED%A0%80", "appKey=%", "a%zz=1",
                "status=%G1")) {
            assertRawProblem(raw("GET /api/v1/credentials?" + query + " HTTP/1.1"), 400);
        }
    }

    @Test
    void encodedSeparatorsAndNulInPathsAreProblems() throws IOException {
        for (String path : List.of("/api/v1/credentials/a%00b", "/api/v1/credentials/..%2Fconnectors",
                "/api/v1/credentials/a%2Fb", "/api/v1/credentials/a%5Cb", "/api/v1/credentials/%25",
                "/api/v1/proxy/a%00b", "/api/v1/proxy/a%2Fb", "/api/v1/proxy/a%5Cb", "/api/v1/proxy/..%2Fcredentials",
                "/api/v1/proxy/%25", "/api/v1/proxy/a/../../credentials", "/api/v1/credentials;x=1",
                "/api/v1/proxy/a%E0%A4%A")) {
            var response = raw("GET " + path + " HTTP/1.1\nX-Credential-Id: " + credential);
            assertThat(response.status()).as(path + " " + response.text()).isIn(400, 404);
            assertRawProblem(response, response.status());
        }
    }

    @Test
    void headerValuesTheFirewallRefusesAreProblemsNotServerErrors() throws IOException {
        // UTF-8 bytes on the wire, as a client would send them; the firewall checks them when they are read.
        String nonAscii = new String("\u6C49\u5B57".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertRawProblem(raw("GET /api/v1/proxy/x HTTP/1.1\nX-Credential-Id: " + nonAscii), 400);
        assertRawProblem(raw("GET /api/v1/proxy/x HTTP/1.1\nX-Credential-Id: " + credential
                + "\nX-Plugboard-Retries: " + nonAscii), 400);
    }

    @Test
    void requestLinesOverTheLimitAreProblems() throws IOException {
        assertRawProblem(raw("GET /api/v1/credentials?endUserId=" + "u".repeat(9000) + " HTTP/1.1"), 400);
        assertRawProblem(raw("GET /api/v1/credentials HTTP/1.1\nX-Long: " + "h".repeat(9000)), 400);
    }

    @Test
    void traceAndUnknownMethodsAreProblems() throws IOException {
        assertRawProblem(raw("TRACE /api/v1/credentials HTTP/1.1"), 405);
        assertRawProblem(raw("TRACE /api/v1/proxy/x HTTP/1.1"), 405);
        var unknown = raw("BREW /api/v1/credentials HTTP/1.1");
        assertThat(unknown.status()).isIn(400, 405, 501);
        assertRawProblem(unknown, unknown.status());
    }

    @Test
    void bodiesThatAreNotJsonAre415() throws IOException {
        for (String type : List.of("*/*", "application/*", "text/plain", "application/xml", "multipart/form-data",
                "application/x-www-form-urlencoded", "bogus")) {
            var response = api.send("POST", "/api/v1/connect-sessions", token,
                    HttpRequest.BodyPublishers.ofString("{\"endUser\":{\"id\":\"u1\"}}"), false, type);
            assertProblem(response, 415, null);
            var patch = api.send("PATCH", "/api/v1/credentials/" + credential, token,
                    HttpRequest.BodyPublishers.ofString("{\"label\":\"x\"}"), false, type);
            assertProblem(patch, 415, null);
        }
        assertRawProblem(raw("POST /api/v1/connect-sessions HTTP/1.1\nContent-Type: */*", "{}"), 415);
    }

    @Test
    void unacceptableAcceptHeadersStillGetAProblem() {
        var response = api.getAccepting("/api/v1/credentials/" + credential + "x", token, "text/html");
        assertThat(response.status()).isIn(404, 406);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    // ------------------------------------------------------------------ helpers

    private TestApi.Response session(Map<String, Object> endUser) {
        return api.post("/api/v1/connect-sessions", token, TestApi.json(Map.of("endUser", endUser)));
    }

    private TestApi.Response importing(Map<String, Object> base, String key, Object value) {
        var body = new LinkedHashMap<>(base);
        body.put(key, value);
        return api.post("/api/v1/credentials", token, TestApi.json(body));
    }

    private RawHttp.Response raw(String head) throws IOException {
        return raw(head, "");
    }

    private RawHttp.Response raw(String head, String body) throws IOException {
        return RawHttp.exchange(port, head + "\nHost: localhost\nAuthorization: Bearer " + token,
                body.getBytes(StandardCharsets.UTF_8));
    }

    static void assertRawProblem(RawHttp.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.all("Content-Type")).as(response.text()).anySatisfy(t ->
                assertThat(t).startsWith("application/problem+json"));
        JsonNode body = TestApi.JSON.readTree(response.text());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("detail").asString()).isNotBlank();
        assertThat(response.text()).doesNotContainIgnoringCase("<html").doesNotContain("Exception")
                .doesNotContain("io.plugboard.");
    }
}
