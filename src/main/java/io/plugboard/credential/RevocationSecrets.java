package io.plugboard.credential;

import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import org.jspecify.annotations.Nullable;
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
        return store.countMaterialNotOn(vault.primaryKeyIdBytes());
    }

    @Override
    @Transactional
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        return ResealBatch.over(store.materialNotOn(vault.primaryKeyIdBytes(), after == null ? "" : after, limit),
                ProviderRevocations.Material::credentialId, row -> store.reseal(row, vault.reseal(
                        RevocationQueue.binding(row.tenantId(), row.credentialId()), row.material())));
    }
}
