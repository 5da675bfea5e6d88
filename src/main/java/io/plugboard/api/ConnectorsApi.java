package io.plugboard.api;

import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.ConnectorDefinition;
import io.plugboard.connector.IntegrationService;
import io.plugboard.connector.IntegrationSettings;
import io.plugboard.connector.TenantConnectors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/connectors")
@Tag(name = "Connectors")
class ConnectorsApi {

    private final TenantConnectors connectors;
    private final IntegrationService integrations;
    private final ApiTenant tenant;

    ConnectorsApi(TenantConnectors connectors, IntegrationService integrations, ApiTenant tenant) {
        this.connectors = connectors;
        this.integrations = integrations;
        this.tenant = tenant;
    }

    record FieldJson(String key, String label, boolean secret, boolean required, boolean prefillable) {
    }

    record MetadataJson(String key, String label, String type, boolean required) {
    }

    record ConnectorJson(String appKey, String name, String category, String authMode, @Nullable String docsUrl,
                         String source, boolean enabled, List<FieldJson> fields, List<MetadataJson> metadata) {
    }

    record ConnectorList(List<ConnectorJson> items) {
    }

    @GetMapping
    @Operation(summary = "The connectors this tenant can use, and whether each is enabled")
    ConnectorList list() {
        Map<String, IntegrationSettings> settings = integrations.settings(tenant.id());
        return new ConnectorList(connectors.all(tenant.id()).stream().map(e -> json(e, settings)).toList());
    }

    private static ConnectorJson json(CatalogEntry entry, Map<String, IntegrationSettings> settings) {
        ConnectorDefinition d = entry.definition();
        var integration = settings.get(d.appKey());
        return new ConnectorJson(d.appKey(), d.name(), d.category().name(), d.authMode().name(), d.docsUrl(),
                entry.source().name(), integration != null && integration.enabled(),
                d.formFields().stream().map(f -> new FieldJson(f.key(), f.label(), f.isSecret(), f.isRequired(),
                        f.isPrefillable())).toList(),
                d.metadataFields().stream().map(m -> new MetadataJson(m.key(), m.label(), m.type().name(),
                        m.isRequired())).toList());
    }
}
