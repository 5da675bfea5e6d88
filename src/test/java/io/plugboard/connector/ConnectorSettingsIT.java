package io.plugboard.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.plugboard.PlugboardTest;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.crypto.ApplicationKeyset;
import io.plugboard.crypto.MasterKeys;
import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SecretVault;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A tenant's connector settings (tenantSettings: Follow Up Boss's registered system name and key) fill the
 * connector's fixed headers on every proxied call: the secret one sealed and never audited, headers left out while
 * a setting is unset, another tenant's settings never used, a secret header never sent to a host the connector
 * does not allow.
 */
@PlugboardTest
class ConnectorSettingsIT extends ProxyTestSupport {

    private static final String APP = "fub-like";
    private static final String SYSTEM_KEY = "560270f7914b5b4a5f4dc1793ebc2796";

    @Autowired
    ConnectorSettingsService settings;
    @Autowired
    TenantConnectors connectors;
    @Autowired
    ConnectorSettingsSecrets settingsSecrets;
    @Autowired
    SecretVault vault;

    private TestTenant other;

    /** A Follow Up Boss look-alike whose API is WireMock: Basic auth with the API key, and its system headers. */
    private static String definition(String providerBase) {
        return definition(APP, providerBase);
    }

    private static String definition(String appKey, String providerBase) {
        return """
                appKey: %s
                name: FUB-like
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s/v1
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
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
                """.formatted(appKey, providerBase);
    }

    @BeforeAll
    void connectorsInTwoTenants() {
        connector(definition(provider.baseUrl()));
        other = TestTenants.create(context, "settingsother");
        connector(other, definition(provider.baseUrl()));
    }

    @BeforeEach
    void providerAnswers() {
        provider.stubFor(get(urlPathMatching("/v1/.*")).willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    private LoggedRequest lastApiCall() {
        return received().getLast().getRequest();
    }

    private void save(TestTenant who, Map<String, String> values, Map<String, String> secrets) {
        asAdmin(who, () -> settings.update(who.id(), APP, new ConnectorSettingsUpdate(values, secrets)));
    }

    @Test
    void theProxiedCallCarriesBothHeadersOnceTheTenantSetThem() {
        String id = apiKeyCredential(APP, Map.of("apiKey", "key-1"));
        save(tenant, Map.of("systemName", "AwesomeWebsiteBuilder"), Map.of("systemKey", SYSTEM_KEY));

        var response = call("GET", "/people", id, null, "X-System", "spoofed-by-caller");

        assertThat(response.statusCode()).isEqualTo(200);
        var sent = lastApiCall();
        assertThat(sent.getHeaders().getHeader("X-System").values()).containsExactly("AwesomeWebsiteBuilder");
        assertThat(sent.getHeader("X-System-Key")).isEqualTo(SYSTEM_KEY);
        assertThat(sent.getHeader("Authorization")).startsWith("Basic ");
    }

    @Test
    void theSecretIsSealedNeverAuditedAndShownOnlyAsStored() {
        save(tenant, Map.of("systemName", "Sealed"), Map.of("systemKey", SYSTEM_KEY));

        byte[] column = jdbc.queryForObject("SELECT secret_settings FROM integrations WHERE tenant_id = ? "
                + "AND app_key = ?", byte[].class, tenant.id(), APP);
        assertThat(new String(column, StandardCharsets.ISO_8859_1)).doesNotContain(SYSTEM_KEY);
        var view = asAdmin(tenant, () -> settings.settings(tenant.id(), APP));
        assertThat(view.values()).containsEntry("systemName", "Sealed").doesNotContainKey("systemKey");
        assertThat(view.secretsStored()).containsExactly("systemKey");
        assertThat(view.toString()).doesNotContain(SYSTEM_KEY);
        var audit = jdbc.queryForList("SELECT details::text AS d FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'integration.settings_updated' AND target_id = ?", String.class, tenant.id(), APP);
        assertThat(audit).isNotEmpty().allSatisfy(d -> assertThat(d).doesNotContain(SYSTEM_KEY))
                .anySatisfy(d -> assertThat(d).contains("Sealed", "systemKey"));
    }

    @Test
    void aBlankSecretKeepsTheStoredOneAndABlankValueClearsItsHeader() {
        String id = apiKeyCredential(APP, Map.of("apiKey", "key-2"));
        save(tenant, Map.of("systemName", "Kept"), Map.of("systemKey", SYSTEM_KEY));
        save(tenant, Map.of("systemName", "Renamed"), Map.of("systemKey", " "));

        call("GET", "/people", id, null);
        assertThat(lastApiCall().getHeader("X-System")).as("this instance forgets its copy on save")
                .isEqualTo("Renamed");
        assertThat(lastApiCall().getHeader("X-System-Key")).isEqualTo(SYSTEM_KEY);

        save(tenant, Map.of("systemName", ""), Map.of());
        call("GET", "/people", id, null);
        assertThat(lastApiCall().containsHeader("X-System")).isFalse();
        assertThat(lastApiCall().getHeader("X-System-Key")).isEqualTo(SYSTEM_KEY);
    }

    @Test
    void anotherTenantsSettingsAreNeverUsed() {
        save(tenant, Map.of("systemName", "Mine"), Map.of("systemKey", SYSTEM_KEY));
        String theirs = credential(other, APP, "their-user", Map.of("apiKey", "their-key"), null);

        var response = call(port, jwt(other, "tenant"), "GET", "/people", theirs, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(lastApiCall().containsHeader("X-System")).isFalse();
        assertThat(lastApiCall().containsHeader("X-System-Key")).isFalse();

        save(other, Map.of("systemName", "Theirs"), Map.of("systemKey", "their-system-key"));
        call(port, jwt(other, "tenant"), "GET", "/people", theirs, null);
        assertThat(lastApiCall().getHeader("X-System")).isEqualTo("Theirs");
        assertThat(lastApiCall().getHeader("X-System-Key")).isEqualTo("their-system-key");
    }

    @Test
    void followUpBossSendsItsSystemKeyOnlyToItsOwnApi() {
        var fub = asAdmin(tenant, () -> {
            integrations.update(tenant.id(), "followupboss", new IntegrationUpdate(true, null, null, List.of()));
            settings.update(tenant.id(), "followupboss", new ConnectorSettingsUpdate(
                    Map.of("systemName", "AwesomeWebsiteBuilder"), Map.of("systemKey", SYSTEM_KEY)));
            return connectors.find(tenant.id(), "followupboss").orElseThrow().definition();
        });

        assertThat(settings.headers(tenant.id(), fub, URI.create("https://api.followupboss.com/v1/identity")))
                .containsExactly(Map.entry("X-System", "AwesomeWebsiteBuilder"), Map.entry("X-System-Key", SYSTEM_KEY));
        assertThat(settings.headers(tenant.id(), fub, URI.create("https://elsewhere.example/v1/identity")))
                .as("the secret setting only goes where the connector allows").containsOnlyKeys("X-System");
        assertThat(settings.headers(other.id(), fub, URI.create("https://api.followupboss.com/v1/identity")))
                .as("a tenant that set nothing sends nothing").isEmpty();
    }

    @Test
    void masterKeyRotationResealsTheSecretSettingsForTheDestinationTheyWereSealedFor() throws Exception {
        save(tenant, Map.of("systemName", "Rotated"), Map.of("systemKey", SYSTEM_KEY));
        UUID row = jdbc.queryForObject("SELECT id FROM integrations WHERE tenant_id = ? AND app_key = ?", UUID.class,
                tenant.id(), APP);
        String destination = jdbc.queryForObject("SELECT secret_settings_destination FROM integrations WHERE id = ?",
                String.class, row);
        var binding = ConnectorSettingsService.binding(tenant.id(), row, destination);
        var rotated = new SecretVault(MasterKeys.withNewPrimary(ApplicationKeyset.of(vault)));
        // Just before this row in id order, so the batch takes this row only.
        var before = new UUID(row.getMostSignificantBits(), row.getLeastSignificantBits() - 1);
        try {
            assertThat(settingsSecrets.countNotOnPrimary(rotated)).isPositive();

            ResealBatch batch = settingsSecrets.resealBatch(rotated, before.toString(), 1);

            assertThat(batch.last()).isEqualTo(row.toString());
            assertThat(batch.resealed()).isOne();
            assertThat(SecretVault.keyIdOf(sealedSettings(row))).isEqualTo(rotated.primaryKeyId());
            assertThat(rotated.open(binding, sealedSettings(row))).contains(SYSTEM_KEY);
        } finally {
            // Back under the application's own key, which does not know the rotated one.
            byte[] sealed = sealedSettings(row);
            if (SecretVault.keyIdOf(sealed) == rotated.primaryKeyId()) {
                jdbc.update("UPDATE integrations SET secret_settings = ? WHERE id = ?",
                        vault.seal(binding, rotated.open(binding, sealed)), row);
            }
        }
    }

    private byte[] sealedSettings(UUID row) {
        return jdbc.queryForObject("SELECT secret_settings FROM integrations WHERE id = ?", byte[].class, row);
    }

    @Test
    void aConfirmedDestinationChangeForgetsTheSecretSettingsAndKeepsThePlainOnes() {
        String moved = connector(definition("fub-moved", provider.baseUrl()));
        asAdmin(tenant, () -> settings.update(tenant.id(), moved, new ConnectorSettingsUpdate(
                Map.of("systemName", "Moved"), Map.of("systemKey", SYSTEM_KEY))));

        String elsewhere = definition(moved, provider.baseUrl() + "/elsewhere");
        assertThatThrownBy(() -> asAdmin(tenant, () -> customConnectors.save(tenant.id(),
                customConnectors.parse(elsewhere), null)))
                .isInstanceOf(DestinationChangeUnconfirmed.class)
                .hasMessageContaining("the secret integration settings must be entered again");

        assertThat(editConfirmed(elsewhere)).isEqualTo(new DestinationImpact(0, false, true));

        var view = asAdmin(tenant, () -> settings.settings(tenant.id(), moved));
        assertThat(view.values()).containsEntry("systemName", "Moved");
        assertThat(view.secretsStored()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT secret_settings IS NULL FROM integrations WHERE tenant_id = ? "
                + "AND app_key = ?", Boolean.class, tenant.id(), moved)).isTrue();
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE tenant_id = ? "
                + "AND action = 'connector.custom.updated' AND target_id = ? ORDER BY seq DESC LIMIT 1", String.class,
                tenant.id(), moved)).containsPattern("\"secretSettingsCleared\"\\s*:\\s*true");
    }

    @Test
    void settingsTheConnectorDoesNotDeclareOrWithLineBreaksAreRefused() {
        assertThatThrownBy(() -> save(tenant, Map.of("systemKey", "plain?"), Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessage("systemKey: is not a setting of this connector");
        assertThatThrownBy(() -> save(tenant, Map.of("other", "x"), Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("other:");
        assertThatThrownBy(() -> save(tenant, Map.of("systemName", "a\r\nX-Injected: 1"), Map.of()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("systemName: System name must not contain line breaks or control characters");
    }
}
