package io.plugboard.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.subtle.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** Seals and opens secrets with the master keyset. Thread-safe; holds no plaintext. */
public final class SecretVault {

    /** Tink's output prefix: one version byte then the 4-byte id of the key that sealed it. */
    private static final int PREFIX_LENGTH = 5;

    private final KeysetHandle keyset;
    private final Aead aead;

    public SecretVault(KeysetHandle keyset) {
        this.keyset = keyset;
        try {
            this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("master keyset cannot be used for AEAD", e);
        }
    }

    public byte[] seal(SecretBinding binding, String plaintext) {
        try {
            return aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), binding.associatedData());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String open(SecretBinding binding, byte[] ciphertext) {
        try {
            return new String(aead.decrypt(ciphertext, binding.associatedData()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretUnreadableException(binding);
        }
    }

    /** Opens under the old keys and seals again under the primary key. */
    public byte[] reseal(SecretBinding binding, byte[] ciphertext) {
        return seal(binding, open(binding, ciphertext));
    }

    /**
     * A 32-byte key for one other use of master key {@code keyId}, derived with HKDF-SHA256 and {@code purpose} as
     * its info label: each purpose gets its own key, and none reveals the key that seals secrets.
     *
     * @throws IllegalArgumentException when the keyset has no key with that id
     */
    public byte[] derivedKey(int keyId, String purpose) {
        for (int i = 0; i < keyset.size(); i++) {
            var entry = keyset.getAt(i);
            if (entry.getId() == keyId && entry.getKey() instanceof AesGcmKey key) {
                try {
                    return Hkdf.computeHkdf("HMACSHA256", key.getKeyBytes().toByteArray(InsecureSecretKeyAccess.get()),
                            new byte[0], purpose.getBytes(StandardCharsets.UTF_8), 32);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("key derivation failed", e);
                }
            }
        }
        throw new IllegalArgumentException("no master key with id " + keyId);
    }

    public int primaryKeyId() {
        return keyset.getPrimary().getId();
    }

    /**
     * The primary key's id as bytes 2-5 of every ciphertext it seals, for finding the others in SQL:
     * {@code substring(column from 2 for 4) <> ?}.
     */
    public byte[] primaryKeyIdBytes() {
        return ByteBuffer.allocate(4).putInt(primaryKeyId()).array();
    }

    public boolean sealedWithPrimary(byte[] ciphertext) {
        return keyIdOf(ciphertext) == primaryKeyId();
    }

    public static int keyIdOf(byte[] ciphertext) {
        if (ciphertext.length < PREFIX_LENGTH) {
            return -1;
        }
        return ByteBuffer.wrap(ciphertext, 1, 4).getInt();
    }

    public List<MasterKeyInfo> keys() {
        var keys = new ArrayList<MasterKeyInfo>();
        for (int i = 0; i < keyset.size(); i++) {
            var entry = keyset.getAt(i);
            keys.add(new MasterKeyInfo(entry.getId(), entry.isPrimary(), entry.getStatus().toString()));
        }
        return keys;
    }

    public record MasterKeyInfo(int id, boolean primary, String status) {
    }
}
