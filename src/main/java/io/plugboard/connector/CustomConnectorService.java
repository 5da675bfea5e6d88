package io.plugboard.connector;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.security.CurrentUser;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;

/** Tenant admins add connectors without code: the same definition format and validation as the files. */
@Service
public class CustomConnectorService {

    private final CustomConnectorStore store;
    private final ConnectorCatalog catalog;
    private final ConnectorValidator validator;
    private final AuditLog audit;
    private final CurrentUser currentUser;

    CustomConnectorService(CustomConnectorStore store, ConnectorCatalog catalog, ConnectorProperties properties,
                           ObjectProvider<TrustedHttpOrigins> trustedHttp, AuditLog audit, CurrentUser currentUser) {
        this.store = store;
        this.catalog = catalog;
        this.validator = new ConnectorValidator(properties.allowHttp(),
                trustedHttp.getIfAvailable(() -> TrustedHttpOrigins.NONE));
        this.audit = audit;
        this.currentUser = currentUser;
    }

    /** Parses a definition written as YAML (or JSON), naming the field of any problem. */
    public ConnectorDefinition parse(String yaml) {
        try {
            ConnectorDefinition definition = ConnectorFiles.YAML.readValue(yaml, ConnectorDefinition.class);
            if (definition == null) {
                throw new InvalidRequestException("The definition is empty.");
            }
            return definition;
        } catch (JacksonException e) {
            throw new InvalidRequestException(ConnectorFiles.describe(e));
        }
    }

    public String toYaml(ConnectorDefinition definition) {
        return CustomConnectorStore.yaml(definition);
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT')")
    @Transactional
    public CatalogEntry save(UUID tenantId, ConnectorDefinition definition) {
        currentUser.requireWritableTenant(tenantId);
        var errors = validator.validate(definition, false);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", errors));
        }
        if (catalog.isGlobal(definition.appKey())) {
            throw new InvalidRequestException("appKey: " + definition.appKey()
                    + " is a catalog connector; choose another key for a custom connector");
        }
        boolean created = store.save(tenantId, definition);
        audit.record(AuditRecord.of(created ? "connector.custom.created" : "connector.custom.updated", tenantId)
                .target("connector", definition.appKey()).detail("name", definition.name())
                .detail("authMode", definition.authMode().name()).detail("baseUrl", definition.api().baseUrl()));
        return new CatalogEntry(definition, ConnectorSource.CUSTOM);
    }
}
