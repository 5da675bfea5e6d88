package io.plugboard.api;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.common.TextInput;
import io.plugboard.connector.AuthMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.ConnectorSettings;
import io.plugboard.connector.ConnectorSettingsService;
import io.plugboard.connector.ConnectorSettingsUpdate;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationSettings;
import io.plugboard.connector.TenantConnectors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's integrations as the portal's Connectors page configures them, for a tenant-wide token: the same
 * services, so the same validation, audit events and events. Secrets go in and never come out.
 */
@RestController
@RequestMapping("/api/v1/integrations")
@Tag(name = "Integrations", description = "Enable connectors, set the tenant's OAuth app and connector settings "
        + "(tenant-wide token only; an end user's token gets 403)")
class IntegrationsApi {

    private final TenantConnectors connectors;
    private final IntegrationService integrations;
    private final ConnectorSettingsService connectorSettings;
    private final ApiTenant tenant;

    IntegrationsApi(TenantConnectors connectors, IntegrationService integrations,
                    ConnectorSettingsService connectorSettings, ApiTenant tenant) {
        this.connectors = connectors;
        this.integrations = integrations;
        this.connectorSettings = connectorSettings;
        this.tenant = tenant;
    }

    @Schema(description = "The tenant's OAuth app at the provider. The client secret is write-only: only whether "
            + "one is stored for the connector's current destination.")
    record OAuthAppJson(
            @Schema(description = "Client ID and a usable client secret are both stored") boolean configured,
            @Nullable String clientId,
            @Schema(description = "A client secret is stored (never returned)") boolean clientSecretSet,
            List<String> scopes,
            @Schema(description = "The redirect URI to register at the provider (authorization-code connectors)")
            @Nullable String redirectUri) {
    }

    @Schema(description = "A connector setting of the tenant (tenantSettings). A secret one shows only whether it "
            + "is set, never its value.")
    record SettingJson(String key, String label, boolean secret, @Nullable String value, boolean set,
                       @Nullable String help) {
    }

    @Schema(description = "One connector the tenant can use and the tenant's integration of it")
    record IntegrationJson(String appKey, String name,
                           @Schema(description = "BUILT_IN, OPERATOR or CUSTOM") String source,
                           @Schema(description = "OAUTH2_AUTHORIZATION_CODE, OAUTH2_CLIENT_CREDENTIALS, API_KEY or BASIC")
                           String authMode,
                           @Schema(description = "End users may connect it") boolean enabled,
                           @Schema(description = "Only for OAuth connectors") @Nullable OAuthAppJson oauthApp,
                           List<SettingJson> settings, @Nullable Instant updatedAt) {
    }

    record IntegrationList(List<IntegrationJson> items) {
    }

    @Schema(description = "Enable or disable the connector for the tenant's end users")
    record IntegrationPatch(@Nullable Boolean enabled) {

        IntegrationPatch {
            if (enabled == null) {
                throw new InvalidRequestException("enabled: is required (true or false)");
            }
        }
    }

    @Schema(description = "The tenant's OAuth app. For client-credentials connectors only scopes (their end users "
            + "bring the client).")
    record OAuthAppRequest(
            @Schema(description = "Required for authorization-code connectors", maxLength = 500)
            @Nullable String clientId,
            @Schema(description = "Write-only. Omitted or empty keeps the stored secret", writeOnly = true)
            @Nullable String clientSecret,
            @Schema(description = "Omitted keeps the stored scopes (the connector's defaults when none are stored)")
            @Nullable List<String> scopes) {

        OAuthAppRequest {
            TextInput.line("clientId", clientId, 500);
            TextInput.line("clientSecret", clientSecret, 4000);
            TextInput.lines("scopes", scopes, 200);
            clientId = clientId == null || clientId.isBlank() ? null : clientId.strip();
            clientSecret = clientSecret == null || clientSecret.isBlank() ? null : clientSecret;
        }
    }

    @Schema(description = "Connector settings (tenantSettings) by key. Plain values: blank clears one, a key not "
            + "given keeps it. Secrets are write-only: a new value replaces the stored one, blank or omitted keeps it.")
    record SettingsRequest(@Nullable Map<String, String> values,
                           @Schema(writeOnly = true) @Nullable Map<String, String> secrets) {

        SettingsRequest {
            TextInput.textMap("values", values, 4000);
            TextInput.textMap("secrets", secrets, 4000);
        }
    }

    @GetMapping
    @Operation(summary = "Every connector the tenant can use (catalog and custom) with its integration")
    IntegrationList list() {
        UUID tenantId = tenant.id();
        Map<String, IntegrationSettings> settings = integrations.settings(tenantId);
        return new IntegrationList(connectors.all(tenantId).stream().map(entry -> json(entry,
                settings.get(entry.appKey()))).toList());
    }

    @GetMapping("/{appKey}")
    @Operation(summary = "One connector's integration")
    IntegrationJson get(@PathVariable String appKey) {
        return json(entry(appKey), integrations.settings(tenant.id(), appKey));
    }

    @PatchMapping("/{appKey}")
    @Operation(summary = "Enable or disable a connector (an authorization-code connector needs its OAuth app "
            + "first); audited as integration.updated")
    IntegrationJson patch(@PathVariable String appKey, @RequestBody IntegrationPatch patch) {
        CatalogEntry entry = entry(appKey);
        return json(entry, integrations.setEnabled(tenant.id(), appKey, patch.enabled()));
    }

    @PutMapping("/{appKey}/oauth-app")
    @Operation(summary = "Set the tenant's OAuth app (client ID, write-only client secret, scopes); audited as "
            + "integration.updated without the secret")
    IntegrationJson putOAuthApp(@PathVariable String appKey, @RequestBody OAuthAppRequest request) {
        CatalogEntry entry = entry(appKey);
        if (entry.definition().authMode() == AuthMode.OAUTH2_AUTHORIZATION_CODE && request.clientId() == null) {
            throw new InvalidRequestException("clientId: is required");
        }
        return json(entry, integrations.setOAuthApp(tenant.id(), appKey, request.clientId(), request.clientSecret(),
                request.scopes()));
    }

    @DeleteMapping("/{appKey}/oauth-app")
    @Operation(summary = "Forget the tenant's OAuth app (disable an authorization-code connector first); audited as "
            + "integration.oauth_app_removed")
    IntegrationJson deleteOAuthApp(@PathVariable String appKey) {
        CatalogEntry entry = entry(appKey);
        return json(entry, integrations.removeOAuthApp(tenant.id(), appKey));
    }

    @PutMapping("/{appKey}/settings")
    @Operation(summary = "Set connector settings (tenantSettings, e.g. Follow Up Boss X-System); secrets are "
            + "write-only; audited as integration.settings_updated with the names, never the values, of secrets")
    IntegrationJson putSettings(@PathVariable String appKey, @RequestBody SettingsRequest request) {
        CatalogEntry entry = entry(appKey);
        connectorSettings.update(tenant.id(), appKey, new ConnectorSettingsUpdate(
                request.values() == null ? Map.of() : request.values(),
                request.secrets() == null ? Map.of() : request.secrets()));
        return json(entry, integrations.settings(tenant.id(), appKey));
    }

    private CatalogEntry entry(String appKey) {
        TextInput.line("appKey", appKey, 50);
        return connectors.find(tenant.id(), appKey).orElseThrow(() -> new NotFoundException("Connector"));
    }

    private IntegrationJson json(CatalogEntry entry, @Nullable IntegrationSettings settings) {
        ConnectorDefinition d = entry.definition();
        boolean enabled = settings != null && settings.enabled();
        return new IntegrationJson(d.appKey(), d.name(), entry.source().name(), d.authMode().name(), enabled,
                oauthApp(d, settings), settings(d), settings == null ? null : settings.updatedAt());
    }

    private @Nullable OAuthAppJson oauthApp(ConnectorDefinition d, @Nullable IntegrationSettings settings) {
        List<String> defaults = d.oauth() == null ? List.of() : d.oauth().scopes();
        List<String> scopes = settings == null || settings.scopes().isEmpty() ? defaults : settings.scopes();
        return switch (d.authMode()) {
            case OAUTH2_AUTHORIZATION_CODE -> {
                String clientId = settings == null ? null : settings.clientId();
                boolean secret = settings != null && settings.clientSecretStored();
                yield new OAuthAppJson(clientId != null && secret, clientId, secret, scopes,
                        integrations.redirectUri());
            }
            case OAUTH2_CLIENT_CREDENTIALS -> new OAuthAppJson(false, null, false, scopes, null);
            default -> null;
        };
    }

    private List<SettingJson> settings(ConnectorDefinition d) {
        if (d.settingFields().isEmpty()) {
            return List.of();
        }
        ConnectorSettings stored = connectorSettings.settings(tenant.id(), d.appKey());
        return d.settingFields().stream().map(s -> s.isSecret()
                ? new SettingJson(s.key(), s.label(), true, null, stored.secretsStored().contains(s.key()), s.help())
                : new SettingJson(s.key(), s.label(), false, stored.values().get(s.key()),
                        stored.values().containsKey(s.key()), s.help())).toList();
    }
}
