package io.plugboard.api;

/** A token that fails one rule; the message names the rule and never contains a secret. */
class InvalidTokenException extends RuntimeException {

    private final String rule;

    InvalidTokenException(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    String rule() {
        return rule;
    }
}
