package io.plugboard.connector;

import java.util.List;

/** Start-up refusal listing every problem in the definition files, each as {@code file: field: message}. */
public class ConnectorCatalogException extends RuntimeException {

    private final List<String> problems;

    public ConnectorCatalogException(List<String> problems) {
        super("Connector definitions are invalid:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code file: field: message}. */
    public List<String> problems() {
        return problems;
    }
}
