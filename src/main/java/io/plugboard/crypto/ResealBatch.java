package io.plugboard.crypto;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What one batch of a re-encryption did.
 *
 * @param read       rows read because a secret in them was not on the primary key
 * @param resealed   rows written with their secrets re-sealed under the primary key
 * @param unreadable rows whose secret did not open (left as they are, counted so an operator sees them)
 * @param last       the key of the last row read, where the next batch starts; null when none was read
 */
public record ResealBatch(int read, int resealed, int unreadable, @Nullable String last) {

    /** Rows changed by a writer between this batch's read and its write: the writer's value stays. */
    public int changed() {
        return read - resealed - unreadable;
    }

    /**
     * Runs {@code reseal} (true: written, false: the row had changed) over the rows read, in their order; a secret
     * that does not open is counted and skipped, so one damaged row does not stop the rotation.
     */
    public static <T> ResealBatch over(List<T> rows, Function<T, String> key, Predicate<T> reseal) {
        int resealed = 0;
        int unreadable = 0;
        for (T row : rows) {
            try {
                if (reseal.test(row)) {
                    resealed++;
                }
            } catch (SecretUnreadableException e) {
                unreadable++;
            }
        }
        return new ResealBatch(rows.size(), resealed, unreadable, rows.isEmpty() ? null : key.apply(rows.getLast()));
    }
}
