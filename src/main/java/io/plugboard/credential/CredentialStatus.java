package io.plugboard.credential;

public enum CredentialStatus {
    ACTIVE, REFRESH_FAILED, NEEDS_RECONNECT, REVOKED, EXPIRED;

    public String label() {
        return switch (this) {
            case ACTIVE -> "Active";
            case REFRESH_FAILED -> "Needs reconnect";
            case NEEDS_RECONNECT -> "Connector changed";
            case REVOKED -> "Revoked";
            case EXPIRED -> "Expired";
        };
    }
}
