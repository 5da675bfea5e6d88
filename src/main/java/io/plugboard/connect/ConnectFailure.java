package io.plugboard.connect;

import org.jspecify.annotations.Nullable;

/**
 * A connection attempt that did not work, with a message for the end user (its English text is the exception's
 * message; pages show {@link #text()} in their own language). When the session is still alive, {@code sessionId}
 * lets the page offer "try again".
 */
public class ConnectFailure extends RuntimeException {

    private final ConnectMessage text;
    private final @Nullable String sessionId;

    public ConnectFailure(ConnectMessage text, @Nullable String sessionId) {
        super(text.english());
        this.text = text;
        this.sessionId = sessionId;
    }

    public ConnectMessage text() {
        return text;
    }

    public @Nullable String sessionId() {
        return sessionId;
    }
}
