package io.plugboard.credential;

import io.plugboard.common.TextInput;
import org.jspecify.annotations.Nullable;

/**
 * Text the database can hold: PostgreSQL's text and jsonb refuse U+0000, and names, labels and ids are
 * single lines. Checked before any statement runs, so bad input is a 400 naming the field, not a 500.
 */
final class Inputs {

    private Inputs() {
    }

    /** No NUL, no unpaired surrogate, no control characters but tabs and line breaks (secrets, free text). */
    static void noNul(String field, @Nullable String value) {
        TextInput.text(field, value, Integer.MAX_VALUE);
    }

    static void singleLine(String field, @Nullable String value) {
        TextInput.line(field, value, Integer.MAX_VALUE);
    }
}
