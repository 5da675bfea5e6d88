package io.plugboard.credential;

public enum CredentialStatus {
    ACTIVE, REFRESH_FAILED, NEEDS_RECONNECT, REVOKED, EXPIRED;

    public String label() {
        return switch (this) {
            case ACTIVE -> "Active";
            // Both need the end user to reconnect; the label says why, as the API's status and problem type do.
            case REFRESH_FAILED -> "Refresh failed — reconnect";
            case NEEDS_RECONNECT -> "Connector changed — reconnect";
            case REVOKED -> "Revoked";
            case EXPIRED -> "Expired";
        };
    }
}
