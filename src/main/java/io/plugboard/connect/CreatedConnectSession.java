package io.plugboard.connect;

import java.time.Instant;

/** The one time the session token is visible. */
public record CreatedConnectSession(String sessionId, String token, String connectUrl, Instant expiresAt) {

    @Override
    public String toString() {
        return "CreatedConnectSession[sessionId=" + sessionId + ", token=***, expiresAt=" + expiresAt + "]";
    }
}
