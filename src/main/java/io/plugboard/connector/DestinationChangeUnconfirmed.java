package io.plugboard.connector;

import io.plugboard.common.InvalidRequestException;

/** A destination change that strands secrets, saved without a confirmation of exactly what it strands. */
public class DestinationChangeUnconfirmed extends InvalidRequestException {

    private final DestinationImpact impact;

    public DestinationChangeUnconfirmed(DestinationImpact impact) {
        super(impact.describe() + " Confirm the change to save it.");
        this.impact = impact;
    }

    /** A deletion that strands credentials, with the message saying so. */
    public DestinationChangeUnconfirmed(DestinationImpact impact, String message) {
        super(message);
        this.impact = impact;
    }

    public DestinationImpact impact() {
        return impact;
    }
}
