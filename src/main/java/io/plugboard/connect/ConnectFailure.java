package io.plugboard.connect;

import org.jspecify.annotations.Nullable;

/**
 * A connection attempt that did not work, with a message for the end user. When the session is still
 * alive, {@code sessionId} lets the page offer "try again".
 */
public class ConnectFailure extends RuntimeException {

    private final @Nullable String sessionId;

    public ConnectFailure(String message, @Nullable String sessionId) {
        super(message);
        this.sessionId = sessionId;
    }

    public @Nullable String sessionId() {
        return sessionId;
    }
}
