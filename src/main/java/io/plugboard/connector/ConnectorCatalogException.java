package io.plugboard.connector;

import java.util.List;

/** Start-up refusal listing every problem in the definition files, each as {@code file: field: message}. */
public class ConnectorCatalogException extends RuntimeException {

    public ConnectorCatalogException(List<String> errors) {
        super("Connector definitions are invalid:\n  " + String.join("\n  ", errors));
    }
}
