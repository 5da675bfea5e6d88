package io.plugboard.webhook;

public enum DeliveryStatus {
    /** Waiting for its (next) attempt, or being attempted. */
    PENDING,
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Given up: too old to retry, or the receiver answered 410 Gone. A manual redelivery starts it again. */
    FAILED;

    public String label() {
        return switch (this) {
            case PENDING -> "Pending";
            case DELIVERED -> "Delivered";
            case FAILED -> "Failed";
        };
    }
}
