package io.plugboard.credential;

import com.fasterxml.jackson.annotation.JsonValue;

/** What became of telling the provider about a revoked credential (RFC 7009). */
public enum ProviderRevocationStatus {

    /** The first attempt did not get through (provider down, 5xx, 429); retried in the background with backoff. */
    PENDING("pending", "pending"),
    /** The provider confirmed, or said the token was no longer valid anyway. */
    DONE("done", "done"),
    /** The provider refused for good (e.g. 401: bad client credentials), or the retries gave up. */
    FAILED("failed", "failed"),
    /** The connector has no revocation endpoint (or there was no token to revoke): revoked here only. */
    NOT_SUPPORTED("not_supported", "not supported");

    private final String wireName;
    private final String label;

    ProviderRevocationStatus(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    /** As the API and webhook events write it. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** As the portal writes it, after "at provider:". */
    public String label() {
        return label;
    }

    /** A revoked credential's status in the portal: "Revoked here · at provider: pending". */
    public String revokedHere() {
        return "Revoked here · at provider: " + label;
    }
}
