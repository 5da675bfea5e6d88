package io.plugboard.crypto;

import com.google.crypto.tink.KeysetHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tests only: the master keyset of the shared test application, to build a rotated one from it. */
public final class ApplicationKeyset {

    private ApplicationKeyset() {
    }

    /**
     * The keyset the shared application generated into its data directory (whose name is random; it is the one
     * whose primary key is the vault's).
     */
    public static KeysetHandle of(SecretVault vault) throws IOException {
        try (var files = Files.find(Path.of("target/test-data"), 2,
                (path, attributes) -> path.getFileName().toString().equals("master-key.b64"))) {
            for (Path file : files.toList()) {
                KeysetHandle keyset = MasterKeys.decode(Files.readString(file, StandardCharsets.UTF_8));
                if (keyset.getPrimary().getId() == vault.primaryKeyId()) {
                    return keyset;
                }
            }
        }
        throw new IllegalStateException("the application's master key is not under target/test-data");
    }
}
