package io.plugboard.credential;

import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The sealed material of provider revocations still being retried, for master-key rotation. */
@Component
class RevocationSecrets implements SealedSecretStore {

    private final ProviderRevocations store;

    RevocationSecrets(ProviderRevocations store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "Provider revocations being retried (tokens)";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return store.sealedMaterial().stream().filter(r -> !vault.sealedWithPrimary((byte[]) r[2])).count();
    }

    @Override
    @Transactional
    public int resealAll(SecretVault vault) {
        int count = 0;
        for (Object[] row : store.sealedMaterial()) {
            byte[] material = (byte[]) row[2];
            if (!vault.sealedWithPrimary(material)) {
                String credentialId = (String) row[0];
                UUID tenantId = (UUID) row[1];
                store.reseal(tenantId, credentialId, vault.reseal(RevocationQueue.binding(tenantId, credentialId), material));
                count++;
            }
        }
        return count;
    }
}
