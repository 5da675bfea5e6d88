package io.plugboard.connector;

import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The tenants' secret connector settings, for master-key rotation. */
@Component
class ConnectorSettingsSecrets implements SealedSecretStore {

    private final ConnectorSettingsStore store;

    ConnectorSettingsSecrets(ConnectorSettingsStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "Secret connector settings";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return store.countSecretsNotOn(vault.primaryKeyIdBytes());
    }

    /** Re-seals with the destination stored beside each, never the connector's current one. */
    @Override
    @Transactional
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        return ResealBatch.over(store.secretsNotOn(vault.primaryKeyIdBytes(),
                        after == null ? IntegrationStore.NO_ID : UUID.fromString(after), limit),
                row -> row.id().toString(), row -> store.reseal(row, vault.reseal(
                        ConnectorSettingsService.binding(row.tenantId(), row.id(), row.destination()), row.secrets())));
    }
}
