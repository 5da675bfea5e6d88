package io.plugboard.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy's refusals and failures as problem+json, each with the request id: what the caller got wrong
 * (400), what it may not see (404), what can no longer be used (409), and a provider that is down (502). No
 * refusal reaches the provider.
 */
@PlugboardTest
class ProxyErrorsIT extends ProxyTestSupport {

    private static final String REQUEST_ID = "^req_[0-9a-f]{24}$";

    private String credential;

    @BeforeAll
    void connector() {
        apiKeyConnector("err-keys", """
                type: HEADER
                headerName: X-Api-Key
                template: "{apiKey}"
                """);
        credential = apiKeyCredential("err-keys", Map.of("apiKey", "key-of-a"));
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(problemType(response)).isEqualTo(type);
        assertThat(json(response).path("status").asInt()).isEqualTo(status);
        assertThat(response.headers().allValues("X-Plugboard-Request-Id")).singleElement().asString().matches(REQUEST_ID);
    }

    @Test
    void aMissingCredentialHeaderIs400() {
        var response = call("GET", "/anything", null, null);

        assertProblem(response, 400, "missing-credential");
        assertThat(response.headers().allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(received()).isEmpty();
    }

    @Test
    void aBadRetriesHeaderIs400() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        for (String bad : new String[] {"abc", "-1", "6", "1.5", "99999999999"}) {
            assertProblem(call("GET", "/anything", credential, null, "X-Plugboard-Retries", bad), 400, "invalid-retries");
        }
        assertThat(received()).isEmpty();
        assertThat(call("GET", "/anything", credential, null, "X-Plugboard-Retries", "5").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownCredentialIs404() {
        assertProblem(call("GET", "/anything", "cred_000000000000000000000000", null), 404, "credential-not-found");
        assertProblem(call("GET", "/anything", "not-a-credential-id", null), 404, "credential-not-found");
        assertThat(received()).isEmpty();
    }

    @Test
    void anotherTenantsCredentialIs404AndItsProviderIsNeverCalled() {
        TestTenant other = TestTenants.create(context, "proxyother");
        apiKeyConnectorAt(other, "err-keys", "%s/other".formatted(provider.baseUrl()));
        String theirs = credential(other, "err-keys", "their-user", Map.of("apiKey", "key-of-b"), null);
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        assertProblem(call("GET", "/anything", theirs, null), 404, "credential-not-found");
        assertProblem(call(port, jwt(tenant, "their-user"), "GET", "/anything", theirs, null), 404, "credential-not-found");
        assertThat(received()).isEmpty();

        assertThat(call(port, jwt(other, "tenant"), "GET", "/anything", theirs, null).statusCode())
                .as("the owner may use it").isEqualTo(200);
        assertThat(received()).singleElement().satisfies(e ->
                assertThat(e.getRequest().getHeader("X-Api-Key")).isEqualTo("key-of-b"));
    }

    @Test
    void anEndUserTokenReachesOnlyThatEndUsersCredentials() {
        String alices = credential(tenant, "err-keys", "alice", Map.of("apiKey", "alice-key"), null);
        String bobs = credential(tenant, "err-keys", "bob", Map.of("apiKey", "bob-key"), null);
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        assertProblem(call(port, jwt(tenant, "alice"), "GET", "/anything", bobs, null), 404, "credential-not-found");
        assertThat(received()).isEmpty();
        assertThat(call(port, jwt(tenant, "alice"), "GET", "/anything", alices, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedCredentialIs409AndTheProviderIsNotCalled() {
        String id = apiKeyCredential("err-keys", Map.of("apiKey", "soon-revoked"));
        asAdmin(tenant, () -> credentials.revoke(tenant.id(), id));
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        var response = call("POST", "/anything", id, "{}".getBytes());

        assertProblem(response, 409, "credential-revoked");
        assertThat(received()).isEmpty();
    }

    @Test
    void aProviderThatIsDownIs502() {
        apiKeyConnectorAt("err-down", "http://127.0.0.1:%d/api".formatted(closedPort()));
        String id = apiKeyCredential("err-down", Map.of("apiKey", "k"));

        assertProblem(call("GET", "/anything", id, null), 502, "provider-unreachable");
        assertProblem(call("POST", "/anything", id, "{}".getBytes(), "X-Plugboard-Retries", "0"), 502,
                "provider-unreachable");
    }

    @Test
    void theProvidersOwnErrorsArePassedBackAsTheyAre() {
        provider.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/plain").withBody("provider exploded")));

        var response = call("DELETE", "/things/1", credential, null, "X-Plugboard-Retries", "0");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(text(response)).isEqualTo("provider exploded");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(response.headers().allValues("X-Plugboard-Request-Id")).singleElement().asString().matches(REQUEST_ID);
    }

    @Test
    void aCallWithoutAValidTokenIs401AndCarriesARequestId() {
        var response = send(HttpRequest.newBuilder(proxyUri("/anything")).header("X-Credential-Id", credential)
                .GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(response.headers().allValues("X-Plugboard-Request-Id")).singleElement().asString().matches(REQUEST_ID);
        assertThat(received()).isEmpty();
    }
}
