package io.plugboard.proxy;

/** A call refused because too many are in flight already (see {@link CallLimits}); the caller may retry soon. */
public class ProxyBusyException extends ProxyException {

    private final int retryAfterSeconds;

    ProxyBusyException(int status, String type, String message, int retryAfterSeconds) {
        super(status, type, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** For the {@code Retry-After} header. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
