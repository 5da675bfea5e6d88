package io.plugboard.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import io.plugboard.connector.ConnectorSettingsService;
import io.plugboard.connector.ConnectorSettingsUpdate;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The connect page's check of an API key sends the connector's fixed headers filled with the tenant's settings,
 * as Follow Up Boss asks of registered systems on every request, and none while the tenant has not set them.
 */
class FixedHeadersConnectFlowIT extends ConnectTestSupport {

    private static final String APP = "system-keys";

    @Autowired
    ConnectorSettingsService connectorSettings;

    private ConnectTenant tenant;

    @BeforeEach
    void tenantWithASystemHeaderConnector() {
        tenant = tenant("fixedhdr");
        addConnector(tenant, """
                appKey: %s
                name: System Keys
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s/%s
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                testRequest:
                  method: GET
                  path: /identity
                tenantSettings:
                  fields:
                    - key: systemName
                      label: System name
                    - key: systemKey
                      label: System key
                      secret: true
                  headers:
                    X-System: "{systemName}"
                    X-System-Key: "{systemKey}"
                """.formatted(APP, wiremock.baseUrl(), tenant.id()), new IntegrationUpdate(true, null, null, List.of()));
        SecurityContextHolder.clearContext();
        wiremock.stubFor(get(urlEqualTo("/" + tenant.id() + "/identity"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    @Test
    void theCheckCarriesTheSystemHeadersOnceTheTenantSetThem() {
        flow.submit(open(createSession(tenant, "before")), APP, Map.of("apiKey", "key-before"), Map.of());
        asAdmin(tenant, () -> connectorSettings.update(tenant.id(), APP, new ConnectorSettingsUpdate(
                Map.of("systemName", "AwesomeWebsiteBuilder"), Map.of("systemKey", "system-key-1"))));

        flow.submit(open(createSession(tenant, "after")), APP, Map.of("apiKey", "key-after"), Map.of());

        String path = "/" + tenant.id() + "/identity";
        wiremock.verify(1, getRequestedFor(urlEqualTo(path)).withBasicAuth(
                new BasicCredentials("key-before", ""))
                .withHeader("X-System", absent()).withHeader("X-System-Key", absent()));
        wiremock.verify(1, getRequestedFor(urlEqualTo(path)).withBasicAuth(
                new BasicCredentials("key-after", ""))
                .withHeader("X-System", equalTo("AwesomeWebsiteBuilder"))
                .withHeader("X-System-Key", equalTo("system-key-1")));
    }
}
