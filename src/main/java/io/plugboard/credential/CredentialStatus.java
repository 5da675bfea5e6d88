package io.plugboard.credential;

public enum CredentialStatus {
    ACTIVE, REFRESH_FAILED, REVOKED, EXPIRED;

    public String label() {
        return switch (this) {
            case ACTIVE -> "Active";
            case REFRESH_FAILED -> "Needs reconnect";
            case REVOKED -> "Revoked";
            case EXPIRED -> "Expired";
        };
    }
}
