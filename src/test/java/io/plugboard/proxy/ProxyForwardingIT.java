package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What crosses the proxy: the credential's auth injected the way each connector says, the caller's and
 * Plugboard's own headers kept from the provider, the provider's cookies and hop-by-hop headers kept from
 * the caller, and query strings and bodies passed byte for byte.
 */
@PlugboardTest
class ProxyForwardingIT extends ProxyTestSupport {

    private static final String REQUEST_ID = "^req_[0-9a-f]{24}$";

    private String headerCredential;

    @BeforeAll
    void connectors() {
        oauthConnector("fwd-oauth");
        apiKeyConnector("fwd-basic", """
                type: BASIC
                username: "{email}/token"
                password: "{apiKey}"
                """);
        apiKeyConnector("fwd-header", """
                type: HEADER
                headerName: X-Api-Key
                template: "Key {apiKey}"
                """);
        apiKeyConnector("fwd-query", """
                type: QUERY
                queryParam: api_key
                template: "{apiKey}"
                """);
        headerCredential = apiKeyCredential("fwd-header", Map.of("apiKey", "k-123"));
    }

    private LoggedRequest onlyRequest() {
        assertThat(received()).hasSize(1);
        return received().getFirst().getRequest();
    }

    // ------------------------------------------------------------------ auth injection

    @Test
    void bearerModeSendsTheCredentialsOAuthAccessToken() {
        String id = oauthCredential("fwd-oauth", "oauth-access-123", "oauth-refresh", Instant.now().plus(1, ChronoUnit.HOURS));
        provider.stubFor(get(urlPathEqualTo("/api/me")).willReturn(aResponse().withStatus(200).withBody("me")));

        var response = call("GET", "/me", id, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("me");
        assertThat(onlyRequest().getHeaders().getHeader("Authorization").values())
                .containsExactly("Bearer oauth-access-123");
    }

    @Test
    void basicModeSendsTheUserNameAndPasswordFilledFromTheFields() {
        String id = apiKeyCredential("fwd-basic", Map.of("email", "agent@example.com", "apiKey", "s3cr:et é"));
        provider.stubFor(get(urlPathEqualTo("/api/users/me.json")).willReturn(aResponse().withStatus(200)));

        assertThat(call("GET", "/users/me.json", id, null).statusCode()).isEqualTo(200);

        String expected = Base64.getEncoder().encodeToString("agent@example.com/token:s3cr:et é".getBytes(StandardCharsets.UTF_8));
        assertThat(onlyRequest().getHeaders().getHeader("Authorization").values()).containsExactly("Basic " + expected);
    }

    @Test
    void headerModeSendsTheTemplateAndNoAuthorizationHeaderAtAll() {
        provider.stubFor(get(urlPathEqualTo("/api/things")).willReturn(aResponse().withStatus(200)));

        assertThat(call("GET", "/things", headerCredential, null).statusCode()).isEqualTo(200);

        var request = onlyRequest();
        assertThat(request.getHeaders().getHeader("X-Api-Key").values()).containsExactly("Key k-123");
        assertThat(request.containsHeader("Authorization")).as("the caller's JWT never reaches the provider").isFalse();
    }

    @Test
    void queryModeAppendsTheEncodedKeyAfterTheCallersOwnQuery() {
        String key = "k&y=1 +é/?";
        String id = apiKeyCredential("fwd-query", Map.of("apiKey", key));
        provider.stubFor(get(urlPathEqualTo("/api/items")).willReturn(aResponse().withStatus(200)));

        assertThat(call("GET", "/items?page=2&sort=name%20asc", id, null).statusCode()).isEqualTo(200);

        var request = onlyRequest();
        assertThat(request.getUrl()).isEqualTo("/api/items?page=2&sort=name%20asc&api_key="
                + URLEncoder.encode(key, StandardCharsets.UTF_8));
        assertThat(request.queryParameter("api_key").values()).containsExactly(key);
        assertThat(request.containsHeader("Authorization")).isFalse();
    }

    @Test
    void everyMethodIsForwardedAsItIs() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Allow", "GET, POST")
                .withBody("b")));
        List<String> methods = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

        for (String method : methods) {
            var response = call(method, "/resource", headerCredential, method.equals("POST") ? "x".getBytes() : null);
            assertThat(response.statusCode()).as(method).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Plugboard-Request-Id")).as(method).isPresent();
        }

        assertThat(received()).extracting(e -> e.getRequest().getMethod().getName()).containsExactlyElementsOf(methods);
    }

    @Test
    void theEncodedPathArrivesAsItWasSent() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        assertThat(call("GET", "/files/na%C3%AFve%20name.txt/", headerCredential, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "", headerCredential, null).statusCode()).isEqualTo(200);

        assertThat(received()).extracting(e -> e.getRequest().getUrl())
                .containsExactly("/api/files/na%C3%AFve%20name.txt/", "/api/");
    }

    // ------------------------------------------------------------------ header hygiene

    @Test
    void theCallersCredentialsCookiesHostHopByHopAndPlugboardHeadersNeverReachTheProvider() throws Exception {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));

        var response = RawHttp.exchange(port, """
                GET %s/hygiene?x=1 HTTP/1.1
                Host: evil.example:8443
                Authorization: Bearer %s
                X-Credential-Id: %s
                X-Plugboard-Retries: 0
                X-Plugboard-Trace: internal
                Cookie: portal_session=abc; other=1
                X-Forwarded-For: 10.0.0.1
                X-Forwarded-Host: evil.example
                X-Forwarded-Proto: https
                Forwarded: for=10.0.0.1;host=evil.example
                X-Real-IP: 10.0.0.1
                Proxy-Authorization: Basic Zm9vOmJhcg==
                Connection: close, X-Hop-Named
                X-Hop-Named: drop-me
                Keep-Alive: timeout=5
                TE: trailers
                X-Custom-Pass: kept
                Accept: application/json
                User-Agent: tenant-backend/1.0
                """.formatted(PROXY, jwt(), headerCredential), new byte[0]);

        assertThat(response.status()).isEqualTo(200);
        var request = onlyRequest();
        assertThat(request.getUrl()).isEqualTo("/api/hygiene?x=1");
        assertThat(request.getHeaders().getHeader("Host").values()).containsExactly(java.net.URI.create(provider.baseUrl()).getAuthority());
        assertThat(request.getHeaders().getHeader("X-Api-Key").values()).containsExactly("Key k-123");
        assertThat(request.getAllHeaderKeys()).map(String::toLowerCase)
                .doesNotContain("authorization", "cookie", "x-credential-id", "x-forwarded-for", "x-forwarded-host",
                        "x-forwarded-proto", "forwarded", "x-real-ip", "proxy-authorization", "x-hop-named",
                        "keep-alive", "te")
                .noneMatch(name -> name.startsWith("x-plugboard-"));
        assertThat(request.getHeaders().getHeader("X-Custom-Pass").values()).containsExactly("kept");
        assertThat(request.getHeaders().getHeader("Accept").values()).containsExactly("application/json");
        assertThat(request.getHeaders().getHeader("User-Agent").values()).containsExactly("tenant-backend/1.0");
    }

    @Test
    void theProvidersCookiesHopByHopAndPlugboardHeadersNeverComeBackAndEverythingElseDoesUnchanged() throws Exception {
        provider.stubFor(any(urlPathEqualTo("/api/answer")).willReturn(aResponse().withStatus(203)
                .withHeader("Set-Cookie", "provider_session=s1; Path=/; HttpOnly", "second=s2")
                .withHeader("Set-Cookie2", "legacy=1")
                .withHeader("Keep-Alive", "timeout=99, max=7")
                .withHeader("Proxy-Authenticate", "Basic realm=\"provider\"")
                .withHeader("Connection", "X-Provider-Hop")
                .withHeader("X-Provider-Hop", "hop-secret")
                .withHeader("Trailer", "X-Checksum")
                .withHeader("X-Plugboard-Request-Id", "req_forged_by_the_provider")
                .withHeader("X-Plugboard-Anything", "forged")
                .withHeader("X-Provider-Header", "kept", "twice")
                .withHeader("ETag", "\"v1\"")
                .withHeader("Cache-Control", "private, max-age=60")
                .withHeader("X-Frame-Options", "SAMEORIGIN")
                .withHeader("Content-Type", "application/vnd.provider+json")
                .withBody("{\"ok\":true}")));
        String head = """
                GET %s/answer HTTP/1.1
                Host: 127.0.0.1
                Authorization: Bearer %s
                X-Credential-Id: %s
                Connection: close
                """.formatted(PROXY, jwt(), headerCredential);

        // What the provider really puts on the wire, so the absences below mean something.
        var direct = RawHttp.exchange(provider.port(), """
                GET /api/answer HTTP/1.1
                Host: 127.0.0.1
                Connection: close
                """, new byte[0]);
        assertThat(direct.all("Set-Cookie")).hasSize(2);
        assertThat(direct.has("Set-Cookie2")).isTrue();
        assertThat(direct.all("Keep-Alive")).anyMatch(v -> v.contains("max=7"));
        assertThat(direct.has("Proxy-Authenticate")).isTrue();
        assertThat(direct.has("X-Provider-Hop")).isTrue();
        assertThat(direct.has("X-Plugboard-Anything")).isTrue();

        var response = RawHttp.exchange(port, head, new byte[0]);

        assertThat(response.status()).isEqualTo(203);
        assertThat(response.text()).isEqualTo("{\"ok\":true}");
        assertThat(response.has("Set-Cookie")).isFalse();
        assertThat(response.has("Set-Cookie2")).isFalse();
        assertThat(response.all("Keep-Alive")).noneMatch(v -> v.contains("max=7") || v.contains("timeout=99"));
        assertThat(response.has("Proxy-Authenticate")).isFalse();
        assertThat(response.has("X-Provider-Hop")).isFalse();
        assertThat(response.has("Trailer")).isFalse();
        assertThat(response.has("X-Plugboard-Anything")).isFalse();
        assertThat(response.all("X-Plugboard-Request-Id")).singleElement().asString().matches(REQUEST_ID);
        assertThat(response.all("X-Provider-Header")).containsExactly("kept", "twice");
        assertThat(response.all("ETag")).containsExactly("\"v1\"");
        assertThat(response.all("Cache-Control")).containsExactly("private, max-age=60");
        assertThat(response.all("X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(response.all("Content-Type")).containsExactly("application/vnd.provider+json");
    }

    // ------------------------------------------------------------------ byte-exact query strings and bodies

    @Test
    void theQueryStringArrivesByteForByte() {
        String query = "a=1&b=%20x+y&c=%2F%3F%26&empty=&flag&e=%C3%A9&a=2&pct=100%25&tilde=~&star=*&sq=%27";
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        assertThat(call("GET", "/search?" + query, headerCredential, null).statusCode()).isEqualTo(200);

        assertThat(onlyRequest().getUrl()).isEqualTo("/api/search?" + query);
    }

    @Test
    void aJsonBodyArrivesByteForByteWithItsContentType() {
        byte[] body = "{\"name\": \"Zoë ☃\",  \"n\":1.50, \"list\":[1,2,3],\n \"nested\":{\"a\":null}}\n  "
                .getBytes(StandardCharsets.UTF_8);
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201)));

        var response = call("PATCH", "/contacts/7", headerCredential, body,
                "Content-Type", "application/json; charset=utf-8");

        assertThat(response.statusCode()).isEqualTo(201);
        var request = onlyRequest();
        assertThat(request.getMethod().getName()).isEqualTo("PATCH");
        assertThat(request.getBody()).isEqualTo(body);
        // WireMock's Jetty upper-cases a known charset when it parses the header; the proxy does not touch it.
        assertThat(request.getHeader("Content-Type")).isEqualToIgnoringCase("application/json; charset=utf-8");
    }

    @Test
    void aFormBodyArrivesByteForByteAndIsNotParsedOnTheWay() {
        byte[] body = "a=1&b=x+y&c=%26%3D&d=&e=%C3%A9&a=2".getBytes(StandardCharsets.US_ASCII);
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        var response = call("POST", "/forms?src=q", headerCredential, body,
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(response.statusCode()).isEqualTo(200);
        var request = onlyRequest();
        assertThat(request.getUrl()).isEqualTo("/api/forms?src=q");
        assertThat(request.getBody()).isEqualTo(body);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void aBinaryBodyArrivesByteForByte() {
        byte[] body = new byte[300 * 1024];
        new Random(42).nextBytes(body);
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));

        var response = call("PUT", "/files/blob.bin", headerCredential, body, "Content-Type", "application/octet-stream");

        assertThat(response.statusCode()).isEqualTo(204);
        var request = onlyRequest();
        assertThat(request.getBody()).isEqualTo(body);
        assertThat(request.getHeader("Content-Length")).isEqualTo(String.valueOf(body.length));
    }

    @Test
    void largeBodiesAreStreamedByteForByteWithAndWithoutAContentLength() {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        var chunked = send(HttpRequest.newBuilder(proxyUri("/uploads/chunked"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + jwt()).header("X-Credential-Id", headerCredential)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        var sized = call("POST", "/uploads/sized", headerCredential, body, "Content-Type", "application/octet-stream");

        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(received()).hasSize(2).allSatisfy(e -> assertThat(e.getRequest().getBody()).isEqualTo(body));
    }

    @Test
    void aBinaryResponseComesBackByteForByte() {
        byte[] body = new byte[1024 * 1024 + 3];
        new Random(99).nextBytes(body);
        provider.stubFor(get(urlPathEqualTo("/api/download")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/octet-stream").withBody(body)));

        var response = call("GET", "/download", headerCredential, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        LoggedResponse sent = received().getFirst().getResponse();
        assertThat(sent.getBody()).isEqualTo(body);
    }
}
