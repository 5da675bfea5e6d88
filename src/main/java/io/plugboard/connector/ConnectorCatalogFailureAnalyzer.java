package io.plugboard.connector;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a refused connector catalog into Spring Boot's "APPLICATION FAILED TO START" report: the problems, one
 * per line as {@code connectors: file: field: message}, and what to do, instead of the stack trace of whichever
 * bean happened to need the catalog first.
 */
class ConnectorCatalogFailureAnalyzer extends AbstractFailureAnalyzer<ConnectorCatalogException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConnectorCatalogException cause) {
        String description = cause.problems().stream().map(problem -> "connectors: " + problem)
                .collect(Collectors.joining(System.lineSeparator()));
        String action = "Fix the connector definition files named above (the format: docs/connectors.md, or the "
                + "JSON Schema served at /connectors/schema.json), or move them out of the operator directory "
                + "(PLUGBOARD_CONNECTORS_DIR).";
        return new FailureAnalysis(description, action, cause);
    }
}
