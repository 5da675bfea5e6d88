package io.plugboard.credential;

/** The credential exists but cannot be used: revoked, expired, or waiting for a reconnect. */
public class CredentialUnusableException extends RuntimeException {

    private final CredentialStatus status;

    public CredentialUnusableException(CredentialStatus status) {
        super(switch (status) {
            case REVOKED -> "The credential is revoked and can never be used again.";
            case EXPIRED -> "The credential has expired; the end user must connect again.";
            case REFRESH_FAILED -> "The provider refused to refresh the credential; the end user must reconnect.";
            case NEEDS_RECONNECT -> "The connector now sends secrets somewhere else than when this credential was "
                    + "connected; the end user must reconnect before it can be used.";
            case ACTIVE -> "The credential is active.";
        });
        this.status = status;
    }

    public CredentialStatus status() {
        return status;
    }
}
