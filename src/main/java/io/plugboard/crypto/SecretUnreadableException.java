package io.plugboard.crypto;

/** A ciphertext did not open: wrong row, tampered bytes or a retired key. Carries no secret. */
public class SecretUnreadableException extends RuntimeException {

    public SecretUnreadableException(SecretBinding binding) {
        super("secret " + binding.kind() + " of row " + binding.rowId() + " cannot be decrypted with the master key");
    }
}
