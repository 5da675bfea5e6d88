package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.connector.ConnectorCatalog;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.Destination;
import io.plugboard.connector.IntegrationUpdate;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.crypto.SecretVault;
import io.plugboard.proxy.ProxyTestSupport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A built-in connector whose destination moved on its own hosts ({@code movedFrom}, decision 0006): credential
 * secrets bound to the former destination are stranded without the move, and with it are sealed for the current
 * destination at start, once, and work again through the proxy.
 */
@PlugboardTest
class MovedSecretBindingIT extends ProxyTestSupport {

    @Test
    void pipedriveCredentialsSealedForTheFormerBaseUrlAreMovedAtStartOnce() {
        var catalog = context.getBean(ConnectorCatalog.class);
        var pipedrive = catalog.find("pipedrive").orElseThrow().definition();
        String former = catalog.formerDestinations().get("pipedrive").iterator().next();
        asAdmin(tenant, () -> integrations.update(tenant.id(), "pipedrive",
                new IntegrationUpdate(true, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, List.of())));
        String stranded = pipedriveCredential();
        String moved = pipedriveCredential();
        String access = StoredSecrets.open(context, tenant.id(), moved).accessToken();
        sealFor(stranded, former);
        sealFor(moved, former);

        // Without the move the proxy refuses before anything is sent (no request can reach pipedrive.com here).
        assertThat(call("GET", "/v1/users/me", stranded, null).statusCode()).isEqualTo(409);
        assertThat(status(stranded)).isEqualTo("NEEDS_RECONNECT");
        long audited = movesAudited();

        var binding = context.getBean(MovedSecretBinding.class);
        assertThat(binding.moveAll()).isGreaterThanOrEqualTo(2);

        String now = Destination.of(pipedrive).fingerprint();
        assertThat(destination(moved)).isEqualTo(now);
        assertThat(StoredSecrets.open(context, tenant.id(), moved).accessToken()).isEqualTo(access);
        assertThat(status(moved)).isEqualTo("ACTIVE");
        // A mark stays until reconnected, as after any destination change: its secret is rebound, nothing more.
        assertThat(destination(stranded)).isEqualTo(now);
        assertThat(status(stranded)).isEqualTo("NEEDS_RECONNECT");
        assertThat(movesAudited()).isEqualTo(audited + 1);

        assertThat(binding.moveAll()).isZero();
        assertThat(movesAudited()).isEqualTo(audited + 1);
    }

    @Test
    void aMovedSecretWorksThroughTheProxyAndOnlyASecretThatOpensForTheFormerDestinationMoves() {
        String app = "moved-" + UUID.randomUUID().toString().substring(0, 8);
        apiKeyConnectorAt(app, provider.baseUrl() + "/api");
        var current = context.getBean(TenantConnectors.class).find(tenant.id(), app).orElseThrow().definition();
        String former = Destination.of(at(current, provider.baseUrl() + "/api/v1")).fingerprint();
        String strandedKey = "stranded-" + UUID.randomUUID();
        String movedKey = "moved-" + UUID.randomUUID();
        String stranded = apiKeyCredential(app, Map.of("apiKey", strandedKey));
        String moved = apiKeyCredential(app, Map.of("apiKey", movedKey));
        String rewritten = apiKeyCredential(app, Map.of("apiKey", "rewritten-" + UUID.randomUUID()));
        sealFor(stranded, former);
        sealFor(moved, former);
        // Sealed for the current destination, only its column says former: rewriting a column never rebinds.
        jdbc.update("UPDATE credentials SET destination = ? WHERE id = ?", former, rewritten);
        provider.stubFor(get(urlPathEqualTo("/api/contacts")).willReturn(okJson("{\"contacts\": []}")));

        // Negative first: nothing declares the move, so the secret is stranded.
        assertThat(call("GET", "/contacts", stranded, null).statusCode()).isEqualTo(409);
        assertThat(provider.getAllServeEvents()).isEmpty();

        var binding = context.getBean(MovedSecretBinding.class);
        assertThat(binding.move(app, Set.of(former), Destination.of(current))).isEqualTo(2);

        var response = call("GET", "/contacts", moved, null);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        provider.verify(1, getRequestedFor(urlPathEqualTo("/api/contacts")).withHeader("X-Api-Key", equalTo(movedKey)));
        assertThat(destination(rewritten)).isEqualTo(former);
        assertThat(binding.move(app, Set.of(former), Destination.of(current))).isZero();
    }

    @Test
    void aCustomConnectorCannotDeclareAMove() {
        assertThatThrownBy(() -> customConnectors.parse("""
                appKey: sneaky
                name: Sneaky
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: https://api.sneaky.example
                  auth: {type: BEARER, token: "{apiKey}"}
                fields:
                  - {key: apiKey, label: API key, secret: true}
                movedFrom:
                  - api: {baseUrl: "https://api.victim.example"}
                """)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("unknown key 'movedFrom'");
    }

    private String pipedriveCredential() {
        return credential(tenant, "pipedrive", "user-" + UUID.randomUUID(), Map.of("companyDomain", "acme"),
                new NewCredential.Tokens("access-" + UUID.randomUUID(), "refresh-" + UUID.randomUUID(), "Bearer",
                        Instant.now().plus(1, ChronoUnit.HOURS), List.of(), null));
    }

    /** Seals the credential's secret as a former version did: for {@code destination}, stored beside it. */
    private void sealFor(String id, String destination) {
        CredentialSecret secret = StoredSecrets.open(context, tenant.id(), id);
        jdbc.update("UPDATE credentials SET secret = ?, destination = ? WHERE id = ?", context.getBean(SecretVault.class)
                .seal(CredentialIds.binding(tenant.id(), id, destination), CredentialStore.JSON.writeValueAsString(
                        secret)), destination, id);
    }

    private static ConnectorDefinition at(ConnectorDefinition d, String baseUrl) {
        return new ConnectorDefinition(d.appKey(), d.name(), d.category(), d.docsUrl(), d.sources(), d.logo(),
                d.authMode(), d.oauth(), new ConnectorDefinition.Api(baseUrl, d.api().allowedHosts(), d.api().auth(),
                d.api().headers()), d.fields(), d.metadata(), d.testRequest(), d.tenantSettings());
    }

    private long movesAudited() {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'vault.secrets.destination_moved'",
                Long.class);
    }

    private String destination(String id) {
        return jdbc.queryForObject("SELECT destination FROM credentials WHERE id = ?", String.class, id);
    }

    private String status(String id) {
        return jdbc.queryForObject("SELECT status FROM credentials WHERE id = ?", String.class, id);
    }
}
