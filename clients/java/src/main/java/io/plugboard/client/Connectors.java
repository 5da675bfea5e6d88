package io.plugboard.client;

import java.util.List;

/** {@code /api/v1/connectors}: what this tenant can connect. */
public final class Connectors {

    private final Http http;
    private final TokenSource token;

    Connectors(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    public List<Connector> list() {
        return http.call(token, "GET", "/api/v1/connectors", null, ConnectorList.class).items();
    }

    record ConnectorList(List<Connector> items) {
    }
}
