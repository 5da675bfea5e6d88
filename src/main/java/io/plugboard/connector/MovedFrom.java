package io.plugboard.connector;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A destination a built-in connector had before an upgrade, written as what differs from the current definition.
 * Only the API base URL, its allowed hosts and the connection-check request can be given: a move keeps the hosts
 * (checked at load), so what may change is where below them the secret goes, never who receives it.
 */
record MovedFrom(@Nullable MovedApi api, ConnectorDefinition.@Nullable TestRequest testRequest) {

    record MovedApi(@Nullable String baseUrl, @Nullable List<String> allowedHosts) {
    }

    /** The current definition as it was before the move: what this entry gives replaces what the current one has. */
    ConnectorDefinition applyTo(ConnectorDefinition current) {
        var api = current.api();
        var formerApi = new ConnectorDefinition.Api(
                this.api == null || this.api.baseUrl() == null ? api.baseUrl() : this.api.baseUrl(),
                this.api == null || this.api.allowedHosts() == null ? api.allowedHosts() : this.api.allowedHosts(),
                api.auth(), api.headers());
        return new ConnectorDefinition(current.appKey(), current.name(), current.category(), current.docsUrl(),
                current.sources(), current.logo(), current.authMode(), current.oauth(), formerApi, current.fields(),
                current.metadata(), testRequest == null ? current.testRequest() : testRequest,
                current.tenantSettings());
    }
}
