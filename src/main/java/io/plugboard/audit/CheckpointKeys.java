package io.plugboard.audit;

/**
 * The keys that sign audit checkpoints: one HMAC-SHA256 key per master key, derived from it, so a checkpoint
 * can be forged only by someone who holds the master key (not by whoever owns the database).
 */
public interface CheckpointKeys {

    /** The id of the master key new checkpoints are signed under. */
    int currentKeyId();

    /**
     * The HMAC-SHA256 key belonging to master key {@code keyId}.
     *
     * @throws IllegalArgumentException when the master keyset no longer holds that key
     */
    byte[] key(int keyId);
}
