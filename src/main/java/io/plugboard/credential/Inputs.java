package io.plugboard.credential;

import io.plugboard.common.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * Text the database can hold: PostgreSQL's text and jsonb refuse U+0000, and names, labels and ids are
 * single lines. Checked before any statement runs, so bad input is a 400 naming the field, not a 500.
 */
final class Inputs {

    private Inputs() {
    }

    static void noNul(String field, @Nullable String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field + ": must not contain NUL characters");
        }
    }

    static void singleLine(String field, @Nullable String value) {
        if (value != null && value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field + ": must not contain control characters");
        }
    }
}
