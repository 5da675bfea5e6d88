package io.plugboard.webhook;

import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Endpoint signing secrets (current and previous), for master-key rotation. */
@Component
class WebhookSecretsRotation implements SealedSecretStore {

    private final WebhookStore store;

    WebhookSecretsRotation(WebhookStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "Webhook signing secrets";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return store.countSecretsNotOn(vault.primaryKeyIdBytes());
    }

    @Override
    @Transactional
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        var rows = store.secretsNotOn(vault.primaryKeyIdBytes(),
                after == null ? WebhookStore.NO_ID : UUID.fromString(after), limit);
        return ResealBatch.over(rows, row -> row.id().toString(), row -> {
            byte[] previous = row.previousSecret();
            boolean current = !vault.sealedWithPrimary(row.secret());
            boolean old = previous != null && !vault.sealedWithPrimary(previous);
            return store.resealSecrets(row,
                    current ? vault.reseal(SigningSecrets.current(row.tenantId(), row.id()), row.secret()) : row.secret(),
                    old ? vault.reseal(SigningSecrets.previous(row.tenantId(), row.id()), previous) : previous);
        });
    }
}
