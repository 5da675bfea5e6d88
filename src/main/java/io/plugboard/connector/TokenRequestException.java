package io.plugboard.connector;

import org.jspecify.annotations.Nullable;

/** A token request that did not yield tokens; the message is fit for an admin or end user to read. */
public class TokenRequestException extends RuntimeException {

    public enum Kind { PROVIDER_ERROR, UNREACHABLE, TIMEOUT, INVALID_RESPONSE }

    private final Kind kind;
    private final @Nullable String errorCode;

    public TokenRequestException(Kind kind, @Nullable String errorCode, String message) {
        super(message);
        this.kind = kind;
        this.errorCode = errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's OAuth error code (e.g. invalid_grant), when it sent one. */
    public @Nullable String errorCode() {
        return errorCode;
    }
}
