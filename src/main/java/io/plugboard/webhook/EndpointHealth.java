package io.plugboard.webhook;

/** How an endpoint is doing, as the portal shows it. */
public enum EndpointHealth {
    /** Its last attempts succeeded, or there were none yet. */
    HEALTHY,
    /** Several attempts in a row failed; deliveries keep being retried. */
    FAILING,
    /** Turned off by an admin, or by the receiver answering 410 Gone; nothing is queued for it. */
    DISABLED;

    public String label() {
        return switch (this) {
            case HEALTHY -> "Healthy";
            case FAILING -> "Failing";
            case DISABLED -> "Disabled";
        };
    }
}
