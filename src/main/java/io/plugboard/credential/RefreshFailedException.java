package io.plugboard.credential;

/** A token refresh that did not produce a usable token; {@code permanent} means the credential needs a reconnect. */
public class RefreshFailedException extends RuntimeException {

    private final boolean permanent;

    public RefreshFailedException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
