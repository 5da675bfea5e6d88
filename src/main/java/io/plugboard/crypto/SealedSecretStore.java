package io.plugboard.crypto;

import org.jspecify.annotations.Nullable;

/**
 * Implemented by each feature that stores sealed secrets, so a key rotation can re-encrypt all of
 * them without the vault knowing their tables.
 */
public interface SealedSecretStore {

    /** Short name shown to operators, e.g. "tenant client secrets". */
    String name();

    /** Rows holding a secret sealed with a key other than the primary ({@link SecretVault#primaryKeyIdBytes()}). */
    long countNotOnPrimary(SecretVault vault);

    /**
     * Re-seals under the primary key the secrets of at most {@code limit} rows not on it, the first ones in primary-key
     * order after {@code after} (null: from the start), in one short transaction. Rows a writer holds locked are
     * skipped, so the batch never waits on one (a later pass takes them); each row read is written only if it still
     * holds the ciphertext read (compare-and-set): a row changed meanwhile was written by the application, which
     * seals with the primary key, and is left as it is.
     */
    ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit);
}
