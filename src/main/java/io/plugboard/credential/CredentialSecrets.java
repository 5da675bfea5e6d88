package io.plugboard.credential;

import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
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
        return store.sealedSecrets().stream().filter(r -> !vault.sealedWithPrimary(r.secret())).count();
    }

    /**
     * Re-seals with the destination stored beside each secret, never the connector's current one: a rotation must
     * not turn a secret entered for one destination into one that opens for another.
     */
    @Override
    @Transactional
    public int resealAll(SecretVault vault) {
        int count = 0;
        for (var row : store.sealedSecrets()) {
            if (!vault.sealedWithPrimary(row.secret())) {
                var binding = CredentialIds.binding(row.tenantId(), row.id(), row.destination());
                store.reseal(row, vault.reseal(binding, row.secret()));
                count++;
            }
        }
        return count;
    }
}
