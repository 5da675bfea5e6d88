package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.plugboard.PlugboardTest;
import io.plugboard.common.InvalidRequestException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy only ever calls the connector's base URL: a field value cannot move the host, a provider's
 * redirect elsewhere is handed back rather than followed, and dot segments or encoded separators cannot
 * climb out of the base path — whether the request comes over HTTP or from the portal's console.
 */
@PlugboardTest
class ProxySsrfIT extends ProxyTestSupport {

    /** Another origin: where a redirect points; it must never be called. */
    private WireMockServer elsewhere;
    private String credential;
    private String hostPlaceholderApp;

    @BeforeAll
    void setUp() {
        elsewhere = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        elsewhere.start();
        apiKeyConnector("ssrf-keys", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        credential = apiKeyCredential("ssrf-keys", Map.of("apiKey", "k"));
        hostPlaceholderApp = connector("""
                appKey: ssrf-host
                name: Self-hosted
                category: PRODUCTIVITY
                authMode: API_KEY
                api:
                  baseUrl: http://{region}.localhost:%d/base
                  allowedHosts: ["*.localhost"]
                  auth:
                    type: HEADER
                    headerName: X-Api-Key
                    template: "{apiKey}"
                fields:
                  - key: region
                    label: Region
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(provider.port()));
    }

    @AfterAll
    void stopElsewhere() {
        elsewhere.stop();
    }

    @Test
    void aFieldValueCannotMoveTheBaseUrlsHost() {
        for (String evil : new String[] {"evil.com/", "a.b@evil", "evil.com", "x@evil.com", "eu:1234", "eu/x", "eu#",
                "eu?x=", "eu%2f", "127.0.0.1", "a\\@evil", "evil.com/#", "", " "}) {
            assertThatThrownBy(() -> credential(tenant, hostPlaceholderApp, "u-" + UUID.randomUUID(),
                    Map.of("region", evil, "apiKey", "k"), null)).as(evil).isInstanceOf(InvalidRequestException.class);
        }
        String good = credential(tenant, hostPlaceholderApp, "u-good", Map.of("region", "eu", "apiKey", "k"), null);
        assertThat(jdbc.queryForObject("SELECT config FROM credentials WHERE id = ?", String.class, good)).contains("\"eu\"");
    }

    @Test
    void aStoredFieldValueThatWouldMoveTheHostIsRefusedAtCallTime() {
        String id = credential(tenant, hostPlaceholderApp, "u-tampered", Map.of("region", "eu", "apiKey", "k"), null);
        // As if the row had been written before validation existed, or by hand.
        jdbc.update("UPDATE credentials SET config = '{\"region\": \"evil.com/\"}' WHERE id = ?", id);

        var response = call("GET", "/ping", id, null);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(problemType(response)).isEqualTo("connector-misconfigured");
        assertThat(received()).isEmpty();
    }

    @Test
    void aRedirectToAnotherHostIsPassedBackNotFollowed() {
        String location = elsewhere.baseUrl() + "/steal?token=1";
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(302).withHeader("Location", location)));
        elsewhere.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("stolen")));

        var get = call("GET", "/moved", credential, null);
        var post = call("POST", "/moved", credential, "{}".getBytes());

        for (var response : new java.net.http.HttpResponse[] {get, post}) {
            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).contains(location);
        }
        assertThat(received()).hasSize(2);
        assertThat(elsewhere.getAllServeEvents()).isEmpty();
    }

    @Test
    void dotSegmentsAndEncodedSeparatorsAreRefusedWith4xxOverHttp() throws Exception {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        for (String path : new String[] {"/a/../../admin", "/..", "/a/%2e%2e/%2e%2e/admin", "/%2E%2E/admin",
                "/a%2f..%2f..%2fadmin", "/a%2Fb", "/a%5c..%5cadmin", "/a\\..\\admin", "/a/%2e/b", "/a%00b"}) {
            var response = RawHttp.exchange(port, """
                    GET %s%s HTTP/1.1
                    Host: 127.0.0.1
                    Authorization: Bearer %s
                    X-Credential-Id: %s
                    Connection: close
                    """.formatted(PROXY, path, jwt(), credential), new byte[0]);
            assertThat(response.status()).as(path).isBetween(400, 499);
        }
        assertThat(received()).isEmpty();
        assertThat(elsewhere.getAllServeEvents()).isEmpty();
    }

    @Test
    void anAtSignInThePathStaysOnTheProvidersHost() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        assertThat(call("GET", "/@127.0.0.1:" + elsewhere.port() + "/x", credential, null).statusCode()).isEqualTo(200);

        assertThat(received()).singleElement().satisfies(e ->
                assertThat(e.getRequest().getUrl()).isEqualTo("/api/@127.0.0.1:" + elsewhere.port() + "/x"));
        assertThat(elsewhere.getAllServeEvents()).isEmpty();
    }

    /** The console calls the service directly, with no HTTP firewall in front: the service refuses on its own. */
    @Test
    void theServiceItselfRefusesPathTricksFromTheConsole() {
        for (String path : new String[] {"/a/../../admin", "/..", "/./x", "/a/%2e%2e/admin", "/a%2fb", "/a%5cb",
                "/a\\b", "/a%00", "/%2E/x"}) {
            var request = new ProxyRequest("GET", path, null, Map.of(), null, 0, CallSource.PORTAL, "console");
            assertThatThrownBy(() -> asAdmin(tenant, () -> context.getBean(ProxyService.class)
                    .forward(tenant.id(), credential, request, ProxyService.newRequestId(), (s, h, l) -> {
                        throw new AssertionError("no answer expected for " + path);
                    }))).as(path).isInstanceOfSatisfying(ProxyException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.type()).isEqualTo("invalid-path");
                    });
        }
        assertThat(received()).isEmpty();
    }
}
