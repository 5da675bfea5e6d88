package io.plugboard.connector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** The connectors one tenant can use: the shared catalog plus its own custom connectors, which no other tenant sees. */
@Service
public class TenantConnectors {

    private final ConnectorCatalog catalog;
    private final CustomConnectorStore customs;

    TenantConnectors(ConnectorCatalog catalog, CustomConnectorStore customs) {
        this.catalog = catalog;
        this.customs = customs;
    }

    public List<CatalogEntry> all(UUID tenantId) {
        var all = new ArrayList<>(catalog.all());
        customs.definitions(tenantId).forEach(d -> all.add(new CatalogEntry(d, ConnectorSource.CUSTOM)));
        all.sort(Comparator.comparing(e -> e.name().toLowerCase()));
        return all;
    }

    public Optional<CatalogEntry> find(UUID tenantId, String appKey) {
        return catalog.find(appKey)
                .or(() -> customs.definition(tenantId, appKey).map(d -> new CatalogEntry(d, ConnectorSource.CUSTOM)));
    }
}
