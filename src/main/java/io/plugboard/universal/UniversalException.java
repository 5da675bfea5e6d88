package io.plugboard.universal;

import org.jspecify.annotations.Nullable;

/**
 * A Universal API request that cannot be answered with the normalized model: carries the HTTP status, a problem
 * type and, for a provider's rate limit, how many seconds the caller should wait.
 */
public class UniversalException extends RuntimeException {

    private final int status;
    private final String type;
    private final @Nullable Long retryAfterSeconds;

    public UniversalException(int status, String type, String message) {
        this(status, type, message, null);
    }

    public UniversalException(int status, String type, String message, @Nullable Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public @Nullable Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
