package io.plugboard.crypto;

import io.plugboard.audit.CheckpointKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Audit checkpoint keys derived from the master keyset, with a label no other use of the master key shares. */
@Component
public final class AuditCheckpointKeys implements CheckpointKeys {

    static final String PURPOSE = "plugboard/audit-checkpoint/v1";

    private final SecretVault vault;

    AuditCheckpointKeys(SecretVault vault) {
        this.vault = vault;
    }

    /**
     * For the command line: the master keyset from {@code keyFile} (Base64, as {@code master-key generate} writes
     * it), or from {@code PLUGBOARD_MASTER_KEY} when no file is given.
     */
    public static CheckpointKeys load(@Nullable Path keyFile) throws IOException {
        String encoded = keyFile != null ? Files.readString(keyFile, StandardCharsets.UTF_8)
                : System.getenv("PLUGBOARD_MASTER_KEY");
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException(
                    "checkpoints are signed with the master key: set PLUGBOARD_MASTER_KEY or pass --master-key-file");
        }
        return new AuditCheckpointKeys(new SecretVault(MasterKeys.decode(encoded)));
    }

    @Override
    public int currentKeyId() {
        return vault.primaryKeyId();
    }

    @Override
    public byte[] key(int keyId) {
        return vault.derivedKey(keyId, PURPOSE);
    }
}
