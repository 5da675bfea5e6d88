package io.plugboard.connector;

import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Integration OAuth client secrets, for master-key rotation. */
@Component
class IntegrationSecrets implements SealedSecretStore {

    private final IntegrationStore store;

    IntegrationSecrets(IntegrationStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "Integration OAuth client secrets";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return store.withSecrets().stream().filter(r -> !vault.sealedWithPrimary(r.clientSecret())).count();
    }

    /** Re-seals with the destination stored beside each secret, never the connector's current one. */
    @Override
    @Transactional
    public int resealAll(SecretVault vault) {
        int count = 0;
        for (var row : store.withSecrets()) {
            if (!vault.sealedWithPrimary(row.clientSecret())) {
                var binding = IntegrationService.binding(store.tenantOf(row.id()), row.id(),
                        row.clientSecretDestination());
                store.reseal(row, vault.reseal(binding, row.clientSecret()));
                count++;
            }
        }
        return count;
    }
}
