package io.plugboard.credential;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Text the database can hold: PostgreSQL's text and jsonb refuse U+0000, and names, labels and ids are
 * single lines. Checked before any statement runs, so bad input is a 400 naming the field, not a 500.
 */
public final class Inputs {

    private Inputs() {
    }

    /** No NUL, no unpaired surrogate, no control characters but tabs and line breaks (secrets, free text). */
    static void noNul(String field, @Nullable String value) {
        TextInput.text(field, value, Integer.MAX_VALUE);
    }

    static void singleLine(String field, @Nullable String value) {
        TextInput.line(field, value, Integer.MAX_VALUE);
    }

    /**
     * {@code tenant} and {@code tenant:…} (any case, surrounding blanks ignored) are the subjects of a tenant's
     * tenant-wide API tokens; as an end-user id, a token minted for that end user would act for the whole
     * tenant. Every place that accepts an end-user id refuses them.
     */
    public static boolean reservedEndUserId(@Nullable String id) {
        if (id == null) {
            return false;
        }
        String normalized = id.strip().toLowerCase(Locale.ROOT);
        return normalized.equals("tenant") || normalized.startsWith("tenant:");
    }

    public static void notReservedEndUserId(String field, @Nullable String id) {
        if (reservedEndUserId(id)) {
            throw new InvalidRequestException(field + ": \"tenant\" and ids starting with \"tenant:\" are reserved "
                    + "for the tenant's own API tokens");
        }
    }
}
