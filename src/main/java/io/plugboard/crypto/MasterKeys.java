package io.plugboard.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Creates, parses and rotates master keysets. The external form is Base64 of Tink's JSON keyset,
 * which fits in one environment variable.
 */
public final class MasterKeys {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink AEAD could not be registered", e);
        }
    }

    private MasterKeys() {
    }

    public static KeysetHandle generate() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a master key", e);
        }
    }

    /** A keyset holding every existing key plus a new primary: old ciphertexts still open. */
    public static KeysetHandle withNewPrimary(KeysetHandle current) {
        try {
            return KeysetHandle.newBuilder(current)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId()
                            .makePrimary())
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not add a key to the master keyset", e);
        }
    }

    /** Removes a non-primary key once nothing is encrypted with it any more. */
    public static KeysetHandle withoutKey(KeysetHandle current, int keyId) {
        if (current.getPrimary().getId() == keyId) {
            throw new IllegalArgumentException("key " + keyId + " is the primary key and cannot be retired");
        }
        var builder = KeysetHandle.newBuilder(current);
        for (int i = 0; i < builder.size(); i++) {
            if (current.getAt(i).getId() == keyId) {
                builder.deleteAt(i);
                try {
                    return builder.build();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("could not retire key " + keyId, e);
                }
            }
        }
        throw new IllegalArgumentException("no key with id " + keyId + " in the keyset");
    }

    public static String encode(KeysetHandle keyset) {
        try {
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
            return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not serialize the master keyset", e);
        }
    }

    /** Parses the external form; the message names what is wrong without echoing key material. */
    public static KeysetHandle decode(String encoded) {
        String json;
        try {
            json = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master key is not valid Base64");
        }
        try {
            KeysetHandle keyset = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
            for (int i = 0; i < keyset.size(); i++) {
                if (keyset.getAt(i).getStatus() == KeyStatus.ENABLED
                        && !keyset.getAt(i).getKey().getParameters().equals(PredefinedAeadParameters.AES256_GCM)) {
                    throw new IllegalArgumentException("master key " + keyset.getAt(i).getId() + " is not AES-256-GCM");
                }
            }
            return keyset;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("master key is not a Tink JSON keyset");
        }
    }
}
