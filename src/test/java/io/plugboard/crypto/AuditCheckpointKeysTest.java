package io.plugboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint keys come from the master key through HKDF: stable, per master key, and never the sealing key. */
class AuditCheckpointKeysTest {

    @TempDir
    Path work;

    @Test
    void theKeyIsDerivedFromItsMasterKeyAndSurvivesRotationUntilThatKeyIsRetired() throws Exception {
        var original = MasterKeys.generate();
        int oldId = original.getPrimary().getId();
        var keys = new AuditCheckpointKeys(new SecretVault(original));
        byte[] key = keys.key(oldId);
        assertThat(key).hasSize(32);
        byte[] sealing = ((AesGcmKey) original.getPrimary().getKey()).getKeyBytes()
                .toByteArray(InsecureSecretKeyAccess.get());
        assertThat(key).as("not the key that seals secrets").isNotEqualTo(sealing);
        assertThat(new SecretVault(original).derivedKey(oldId, "another purpose")).isNotEqualTo(key);

        Path file = work.resolve("master-key.b64");
        Files.writeString(file, MasterKeys.encode(original), StandardCharsets.UTF_8);
        assertThat(AuditCheckpointKeys.load(file).key(oldId)).as("the same from its external form").isEqualTo(key);

        var rotated = new AuditCheckpointKeys(new SecretVault(MasterKeys.withNewPrimary(original)));
        assertThat(rotated.currentKeyId()).isNotEqualTo(oldId);
        assertThat(rotated.key(oldId)).as("old checkpoints still verify").isEqualTo(key);
        assertThat(rotated.key(rotated.currentKeyId())).isNotEqualTo(key);
        assertThatThrownBy(() -> keys.key(rotated.currentKeyId())).isInstanceOf(IllegalArgumentException.class);
    }
}
