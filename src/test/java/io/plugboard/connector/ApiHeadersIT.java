package io.plugboard.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectSessionService;
import io.plugboard.connect.NewConnectSession;
import io.plugboard.proxy.ProxyTestSupport;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A connector's own fixed headers (api.headers: Copper's X-PW-Application and X-PW-UserEmail, Notion's
 * Notion-Version) go with every proxied call and with the connect page's check, which posts the connector's test
 * body (a GraphQL query); a header that carries a secret field never goes to a host the connector does not allow.
 */
@PlugboardTest
class ApiHeadersIT extends ProxyTestSupport {

    private static final String APP = "copper-like";

    @Autowired
    ConnectorSettingsService settings;
    @Autowired
    TenantConnectors connectors;
    @Autowired
    ConnectSessionService sessions;
    @Autowired
    ConnectFlow flow;

    /** A Copper look-alike at WireMock: the key in X-PW-AccessToken, the fixed headers, a GraphQL test request. */
    @BeforeAll
    void copperLikeConnector() {
        connector("""
                appKey: %s
                name: Copper-like
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s/developer_api/v1
                  allowedHosts: [%s]
                  auth:
                    type: HEADER
                    headerName: X-PW-AccessToken
                    template: "{apiKey}"
                  headers:
                    X-PW-Application: developer_api
                    X-PW-UserEmail: "{email}"
                    X-Key-Echo: "k={apiKey}"
                    X-Optional: "{team}"
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                  - key: email
                    label: Email of the key's owner
                  - key: team
                    label: Team
                    required: false
                testRequest:
                  method: POST
                  path: /graphql
                  body: '{"query": "{ viewer { id } }"}'
                """.formatted(APP, provider.baseUrl(), URI.create(provider.baseUrl()).getHost()));
    }

    @BeforeEach
    void providerAnswers() {
        provider.stubFor(any(urlPathMatching("/developer_api/v1/.*"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    private LoggedRequest lastApiCall() {
        return received().getLast().getRequest();
    }

    @Test
    void theProxiedCallCarriesTheConnectorsFixedHeadersBesideTheAuth() {
        String id = apiKeyCredential(APP, Map.of("apiKey", "key-1", "email", "owner@example.com"));

        var response = call("GET", "/account", id, null, "X-PW-Application", "spoofed-by-caller");

        assertThat(response.statusCode()).isEqualTo(200);
        var sent = lastApiCall();
        assertThat(sent.getHeader("X-PW-AccessToken")).isEqualTo("key-1");
        assertThat(sent.getHeaders().getHeader("X-PW-Application").values()).containsExactly("developer_api");
        assertThat(sent.getHeader("X-PW-UserEmail")).isEqualTo("owner@example.com");
        assertThat(sent.getHeader("X-Key-Echo")).isEqualTo("k=key-1");
        assertThat(sent.containsHeader("X-Optional")).as("a header whose field is not set is left out").isFalse();
    }

    @Test
    void aHeaderCarryingASecretFieldGoesOnlyToAnAllowedHost() {
        var definition = asAdmin(tenant, () -> connectors.find(tenant.id(), APP).orElseThrow().definition());
        var fields = Map.of("apiKey", "key-1", "email", "owner@example.com");
        String allowed = provider.baseUrl() + "/developer_api/v1/account";

        assertThat(settings.headers(tenant.id(), definition, fields, URI.create(allowed)))
                .containsOnlyKeys("X-PW-Application", "X-PW-UserEmail", "X-Key-Echo");
        assertThat(settings.headers(tenant.id(), definition, fields,
                URI.create("https://elsewhere.example/developer_api/v1/account")))
                .as("the secret field only goes where the connector allows")
                .containsOnlyKeys("X-PW-Application", "X-PW-UserEmail");
    }

    @Test
    void aBaseUrlWithAPlaceholderInItsPathStillDecidesWhereASecretHeaderMayGo() {
        var definition = customConnectors.parse("""
                appKey: per-account
                name: Per account
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://api.acme.example/accounts/{accountId}
                  auth: {type: BEARER, token: "{apiKey}"}
                  headers:
                    X-Key-Echo: "{apiKey}"
                    X-Account: "{accountId}"
                fields:
                  - {key: apiKey, label: API key, secret: true}
                  - {key: accountId, label: Account}
                """);
        var fields = Map.of("apiKey", "key-3", "accountId", "a-1");

        assertThat(settings.headers(tenant.id(), definition, fields,
                URI.create("https://api.acme.example/accounts/a-1/me"))).containsOnlyKeys("X-Key-Echo", "X-Account");
        assertThat(settings.headers(tenant.id(), definition, fields, URI.create("https://elsewhere.example/me")))
                .containsOnlyKeys("X-Account");
    }

    @Test
    void theConnectPageCheckPostsTheTestBodyWithTheFixedHeaders() {
        var created = asAdmin(tenant, () -> sessions.create(tenant.id(), new NewConnectSession(
                new NewConnectSession.EndUser("graphql-check", null, null), List.of(APP), null, null, null, null)));
        ConnectFlow.Active active = flow.open(created.token()).orElseThrow();

        flow.submit(active, APP, Map.of("apiKey", "key-2", "email", "checker@example.com"), Map.of());

        var check = received().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().equals("/developer_api/v1/graphql")).toList();
        assertThat(check).hasSize(1);
        LoggedRequest sent = check.getFirst();
        assertThat(sent.getMethod().value()).isEqualTo("POST");
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(sent.getBodyAsString()).isEqualTo("{\"query\": \"{ viewer { id } }\"}");
        assertThat(sent.getHeader("X-PW-AccessToken")).isEqualTo("key-2");
        assertThat(sent.getHeader("X-PW-Application")).isEqualTo("developer_api");
        assertThat(sent.getHeader("X-PW-UserEmail")).isEqualTo("checker@example.com");
    }
}
