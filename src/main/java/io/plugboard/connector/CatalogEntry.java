package io.plugboard.connector;

/** A connector as a tenant sees it: the definition and where it came from. Holds no secret. */
public record CatalogEntry(ConnectorDefinition definition, ConnectorSource source) {

    public String appKey() {
        return definition.appKey();
    }

    public String name() {
        return definition.name();
    }
}
