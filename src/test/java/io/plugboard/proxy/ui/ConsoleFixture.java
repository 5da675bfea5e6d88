package io.plugboard.proxy.ui;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.plugboard.SignedIn;
import io.plugboard.connector.CustomConnectorService;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.credential.CredentialService;
import io.plugboard.credential.CredentialView;
import io.plugboard.credential.NewCredential;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A fresh tenant for an API console test: a custom API-key connector whose API lives on a WireMock
 * server under {@code /<slug>/api} (the key goes in {@code X-Api-Key}), and three credentials of it.
 * The provider answers {@code GET /ping} with 200 for the first two keys and {@code failingStatus}
 * for the third, each body naming the key's owner.
 */
public record ConsoleFixture(TestTenant tenant, String connectorName, List<CredentialView> credentials,
                             List<String> keys, int failingStatus) {

    public static final String PING = "/ping";

    public static ConsoleFixture create(ApplicationContext context, WireMockServer provider, String prefix,
                                        int failingStatus) {
        TestTenant tenant = TestTenants.create(context, prefix);
        String appKey = "probe-api";
        String name = "Probe API " + tenant.slug();
        var customs = context.getBean(CustomConnectorService.class);
        var credentials = context.getBean(CredentialService.class);
        SecurityContext previous = SecurityContextHolder.getContext();
        SignedIn.as(context.getBean(JdbcTemplate.class), tenant.adminEmail());
        try {
            customs.save(tenant.id(), customs.parse("""
                    appKey: %s
                    name: %s
                    category: OTHER
                    authMode: API_KEY
                    api:
                      baseUrl: %s/%s/api
                      auth:
                        type: HEADER
                        headerName: X-Api-Key
                        template: "{apiKey}"
                      headers:
                        X-Probe-Version: "1"
                    fields:
                      - key: apiKey
                        label: API key
                        secret: true
                        required: true
                    testRequest:
                      method: GET
                      path: %s
                    """.formatted(appKey, name, provider.baseUrl(), tenant.slug(), PING)));
            context.getBean(IntegrationService.class).update(tenant.id(), appKey,
                    new IntegrationUpdate(true, null, null, List.of()));
            var created = new java.util.ArrayList<CredentialView>();
            var keys = new java.util.ArrayList<String>();
            String[] owners = {"alpha", "bravo", "charlie"};
            for (int i = 0; i < owners.length; i++) {
                String key = "key-" + owners[i] + "-" + UUID.randomUUID();
                keys.add(key);
                created.add(credentials.create(tenant.id(), new NewCredential(appKey, "user-" + owners[i], null, null,
                        "Probe " + owners[i], Map.of("apiKey", key), Map.of(), null)));
                int status = i < 2 ? 200 : failingStatus;
                provider.stubFor(any(urlPathEqualTo("/" + tenant.slug() + "/api" + PING))
                        .withHeader("X-Api-Key", equalTo(key))
                        .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                                .withHeader("X-Probe-Owner", owners[i])
                                .withBody("{\"owner\":\"" + owners[i] + "\",\"status\":" + status + "}")));
            }
            return new ConsoleFixture(tenant, name, List.copyOf(created), List.copyOf(keys), failingStatus);
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    public String id(int index) {
        return credentials.get(index).id();
    }

    public String pingPath() {
        return "/" + tenant.slug() + "/api" + PING;
    }
}
