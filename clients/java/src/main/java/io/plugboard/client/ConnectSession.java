package io.plugboard.client;

import java.time.Instant;

/**
 * A connect session just opened or refreshed: hand {@code connectUrl} to the end user's browser. The token (part
 * of the link) is shown only here; a refresh issues a new one and the old one stops working.
 */
public record ConnectSession(String sessionId, String token, String connectUrl, Instant expiresAt) {

    @Override
    public String toString() {
        return "ConnectSession[sessionId=" + sessionId + ", token=***, expiresAt=" + expiresAt + "]";
    }
}
