package io.plugboard.credential;

import io.plugboard.common.InvalidRequestException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Text the database can hold: PostgreSQL's text and jsonb refuse U+0000, and names, labels and ids are
 * single lines. Checked before any statement runs, so bad input is a 400 naming the field, not a 500.
 */
public final class Inputs {

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
