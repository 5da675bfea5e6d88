package io.plugboard.credential;

import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import org.jspecify.annotations.Nullable;
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
        return store.countSealedNotOn(vault.primaryKeyIdBytes());
    }

    /**
     * Re-seals with the destination stored beside each secret, never the connector's current one: a rotation must
     * not turn a secret entered for one destination into one that opens for another.
     */
    @Override
    @Transactional
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        return ResealBatch.over(store.sealedNotOn(vault.primaryKeyIdBytes(), after == null ? "" : after, limit),
                CredentialStore.Sealed::id, row -> store.reseal(row, vault.reseal(
                        CredentialIds.binding(row.tenantId(), row.id(), row.destination()), row.secret())));
    }
}
