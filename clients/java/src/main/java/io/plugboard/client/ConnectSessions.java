package io.plugboard.client;

/** {@code /api/v1/connect-sessions}: open, follow, refresh and cancel the links end users connect accounts with. */
public final class ConnectSessions {

    private static final String PATH = "/api/v1/connect-sessions";

    private final Http http;
    private final TokenSource token;

    ConnectSessions(Http http, TokenSource token) {
        this.http = http;
        this.token = token;
    }

    /** Opens a 30-minute session; the returned token and link are shown only now. */
    public ConnectSession create(NewConnectSession session) {
        return http.call(token, "POST", PATH, session, ConnectSession.class);
    }

    public ConnectSessionStatus get(String sessionId) {
        return http.call(token, "GET", PATH + "/" + Http.encode(sessionId), null, ConnectSessionStatus.class);
    }

    /** A new token and link, valid another 30 minutes; the old link stops working. */
    public ConnectSession refresh(String sessionId) {
        return http.call(token, "POST", PATH + "/" + Http.encode(sessionId) + "/refresh", null, ConnectSession.class);
    }

    public void cancel(String sessionId) {
        http.call(token, "DELETE", PATH + "/" + Http.encode(sessionId), null, Void.class);
    }
}
