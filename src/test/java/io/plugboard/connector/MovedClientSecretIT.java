package io.plugboard.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.crypto.SecretVault;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.security.TenantScope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The OAuth app client secret of a built-in connector whose destination moved on its own hosts ({@code movedFrom},
 * decision 0006): bound to the former destination it counts as not stored; moved at start it is the tenant's again
 * and refreshes tokens through the proxy.
 */
@PlugboardTest
class MovedClientSecretIT extends ProxyTestSupport {

    @Test
    void aPipedriveClientSecretSealedForTheFormerBaseUrlIsMovedAtStartOnce() {
        var catalog = context.getBean(ConnectorCatalog.class);
        String former = catalog.formerDestinations().get("pipedrive").iterator().next();
        asAdmin(tenant, () -> integrations.update(tenant.id(), "pipedrive",
                new IntegrationUpdate(true, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, List.of())));
        sealFor("pipedrive", former);
        assertThat(oauthApp("pipedrive")).as("stranded without the move").isEmpty();
        long audited = movesAudited();

        context.getBean(IntegrationSecrets.class).afterSingletonsInstantiated();

        assertThat(oauthApp("pipedrive")).map(OAuthApp::clientSecret).contains(OAUTH_CLIENT_SECRET);
        assertThat(jdbc.queryForObject("SELECT client_secret_destination FROM integrations WHERE tenant_id = ? "
                + "AND app_key = 'pipedrive'", String.class, tenant.id()))
                .isEqualTo(Destination.of(catalog.find("pipedrive").orElseThrow().definition()).fingerprint());
        assertThat(movesAudited()).isEqualTo(audited + 1);

        context.getBean(IntegrationSecrets.class).afterSingletonsInstantiated();
        assertThat(movesAudited()).isEqualTo(audited + 1);
    }

    @Test
    void aMovedClientSecretRefreshesThroughTheProxy() {
        String app = "moved-app-" + UUID.randomUUID().toString().substring(0, 8);
        oauthConnector(app);
        var current = context.getBean(TenantConnectors.class).find(tenant.id(), app).orElseThrow().definition();
        var api = current.api();
        String former = Destination.of(new ConnectorDefinition(current.appKey(), current.name(), current.category(),
                current.docsUrl(), current.sources(), current.logo(), current.authMode(), current.oauth(),
                new ConnectorDefinition.Api(api.baseUrl() + "/v1", api.allowedHosts(), api.auth(), api.headers()),
                current.fields(), current.metadata(), current.testRequest(), current.tenantSettings())).fingerprint();
        sealFor(app, former);
        provider.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(okJson("""
                {"access_token": "fresh-access", "token_type": "Bearer", "expires_in": 3600,
                 "refresh_token": "fresh-refresh"}""")));
        provider.stubFor(get(urlPathEqualTo("/api/contacts")).willReturn(okJson("{\"contacts\": []}")));

        // Negative first: nothing declares the move, so the client secret counts as not stored and is never sent.
        String before = oauthCredential(app, "expired-1", "refresh-1", Instant.now().minusSeconds(60));
        assertThat(call("GET", "/contacts", before, null).statusCode()).isNotEqualTo(200);
        provider.verify(0, postRequestedFor(urlPathEqualTo("/oauth/token")));

        assertThat(context.getBean(IntegrationSecrets.class).move(app, Set.of(former), Destination.of(current)))
                .isEqualTo(1);

        String after = oauthCredential(app, "expired-2", "refresh-2", Instant.now().minusSeconds(60));
        var response = call("GET", "/contacts", after, null);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        provider.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withRequestBody(containing("client_secret=" + OAUTH_CLIENT_SECRET)));
        assertThat(context.getBean(IntegrationSecrets.class).move(app, Set.of(former), Destination.of(current)))
                .isZero();
    }

    /** Seals the integration's client secret as a former version did: for {@code destination}, stored beside it. */
    private void sealFor(String appKey, String destination) {
        UUID id = jdbc.queryForObject("SELECT id FROM integrations WHERE tenant_id = ? AND app_key = ?", UUID.class,
                tenant.id(), appKey);
        jdbc.update("UPDATE integrations SET client_secret = ?, client_secret_destination = ? WHERE id = ?",
                context.getBean(SecretVault.class).seal(IntegrationService.binding(tenant.id(), id, destination),
                        OAUTH_CLIENT_SECRET), destination, id);
    }

    private Optional<OAuthApp> oauthApp(String appKey) {
        return TenantScope.tenant(tenant.id(), () -> integrations.oauthApp(tenant.id(), appKey));
    }

    private long movesAudited() {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'vault.secrets.destination_moved'",
                Long.class);
    }
}
