package io.plugboard.credential;

import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Credential secret material, for master-key rotation. */
@Component
class CredentialSecrets implements SealedSecretStore {

    private final CredentialStore store;

    CredentialSecrets(CredentialStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "Credentials (tokens, keys, passwords)";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return store.sealedSecrets().stream().filter(r -> !vault.sealedWithPrimary((byte[]) r[2])).count();
    }

    @Override
    @Transactional
    public int resealAll(SecretVault vault) {
        int count = 0;
        for (Object[] row : store.sealedSecrets()) {
            byte[] secret = (byte[]) row[2];
            if (!vault.sealedWithPrimary(secret)) {
                String id = (String) row[0];
                store.reseal(id, vault.reseal(CredentialIds.binding((UUID) row[1], id), secret));
                count++;
            }
        }
        return count;
    }
}
