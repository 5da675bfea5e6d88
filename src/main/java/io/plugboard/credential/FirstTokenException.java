package io.plugboard.credential;

import io.plugboard.connector.TokenRequestException;
import org.jspecify.annotations.Nullable;

/**
 * An imported client-credentials credential got no first token from its provider, so nothing was stored. The
 * message names the connector and why, never the secret.
 */
public class FirstTokenException extends RuntimeException {

    private final boolean refused;
    private final @Nullable String errorCode;

    FirstTokenException(String connectorName, TokenRequestException cause) {
        super(cause.kind() == TokenRequestException.Kind.PROVIDER_ERROR
                ? connectorName + " did not accept this client ID and secret: " + cause.getMessage()
                : connectorName + " issued no token, so nothing was stored: " + cause.getMessage(), cause);
        this.refused = cause.kind() == TokenRequestException.Kind.PROVIDER_ERROR;
        this.errorCode = cause.errorCode();
    }

    /** The provider answered with an OAuth error (e.g. invalid_client): the client ID and secret do not work. */
    public boolean refused() {
        return refused;
    }

    /** The provider's OAuth error code, when it sent one. */
    public @Nullable String errorCode() {
        return errorCode;
    }
}
