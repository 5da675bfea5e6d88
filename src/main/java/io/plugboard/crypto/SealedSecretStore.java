package io.plugboard.crypto;

/**
 * Implemented by each feature that stores sealed secrets, so a key rotation can re-encrypt all of
 * them without the vault knowing their tables.
 */
public interface SealedSecretStore {

    /** Short name shown to operators, e.g. "tenant client secrets". */
    String name();

    /** Secrets still sealed with a key other than the primary. */
    long countNotOnPrimary(SecretVault vault);

    /** Re-seals every secret not on the primary key; returns how many were re-sealed. */
    int resealAll(SecretVault vault);
}
