package io.plugboard.crypto;

import com.google.crypto.tink.KeysetHandle;
import io.plugboard.database.EmbeddedDatabaseCondition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Loads the master keyset from {@code PLUGBOARD_MASTER_KEY}. Only with the embedded database, and
 * only when none is set, a keyset is generated into the data directory so a first run works.
 */
@Configuration(proxyBeanMethods = false)
class VaultConfiguration {

    static final String KEY_FILE = "master-key.b64";
    private static final Logger log = LoggerFactory.getLogger(VaultConfiguration.class);

    @Bean
    SecretVault secretVault(@Value("${plugboard.master-key:}") String masterKey,
                            @Value("${plugboard.data-dir}") Path dataDir,
                            Environment environment) throws IOException {
        if (!masterKey.isBlank()) {
            return new SecretVault(MasterKeys.decode(masterKey));
        }
        if (!EmbeddedDatabaseCondition.embedded(environment)) {
            throw new IllegalStateException("PLUGBOARD_MASTER_KEY must be set when an external database is used. "
                    + "Generate one with: java -jar plugboard.jar master-key generate");
        }
        return new SecretVault(keyFromDataDir(dataDir.toAbsolutePath().resolve(KEY_FILE)));
    }

    private static KeysetHandle keyFromDataDir(Path file) throws IOException {
        if (Files.exists(file)) {
            log.warn("Using the master key stored in {}. Set PLUGBOARD_MASTER_KEY in production.", file);
            return MasterKeys.decode(Files.readString(file, StandardCharsets.UTF_8));
        }
        Files.createDirectories(file.getParent());
        KeysetHandle keyset = MasterKeys.generate();
        Files.writeString(file, MasterKeys.encode(keyset), StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the file keeps the directory's permissions
        }
        log.warn("""

                ************************************************************************
                 No PLUGBOARD_MASTER_KEY set: generated a new master key into
                 {}
                 Anyone who can read that file can decrypt every stored secret.
                 For production, set PLUGBOARD_MASTER_KEY (see README, "Master key").
                ************************************************************************""", file);
        return keyset;
    }
}
