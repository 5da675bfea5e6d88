package io.plugboard.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import org.junit.jupiter.api.Test;

/**
 * An admin's check of a client-credentials connector asks the provider for a token outside any transaction (the
 * outbound client refuses to be called inside one when assertions are on), and still records the check.
 */
@PlugboardTest
class ClientCredentialsCheckIT extends ProxyTestSupport {

    @Test
    void theCheckAsksForATokenOutsideAnyTransaction() {
        provider.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":600}")));
        String appKey = connector("""
                appKey: checked-cc
                name: Checked CC
                category: OTHER
                authMode: OAUTH2_CLIENT_CREDENTIALS
                oauth:
                  tokenUrl: %s/oauth/token
                  clientAuthentication: client_secret_post
                api:
                  baseUrl: %s/api
                  auth:
                    type: BEARER
                fields:
                  - key: clientId
                    label: Client ID
                  - key: clientSecret
                    label: Client secret
                    secret: true
                """.formatted(provider.baseUrl(), provider.baseUrl()));

        String outcome = asAdmin(tenant, () -> integrations.checkClientCredentials(tenant.id(), appKey, "client-1",
                "secret-1"));

        assertThat(outcome).startsWith("The provider issued a token valid until");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'integration.checked' "
                + "AND tenant_id = ? AND target_id = ?", Long.class, tenant.id(), appKey)).isEqualTo(1);
    }
}
