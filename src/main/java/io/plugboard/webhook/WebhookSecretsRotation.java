package io.plugboard.webhook;

import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretVault;
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
        return store.allEndpoints().stream().filter(e -> !vault.sealedWithPrimary(e.secret())
                || (e.previousSecret() != null && !vault.sealedWithPrimary(e.previousSecret()))).count();
    }

    @Override
    @Transactional
    public int resealAll(SecretVault vault) {
        int count = 0;
        for (var row : store.allEndpoints()) {
            byte[] previous = row.previousSecret();
            boolean current = !vault.sealedWithPrimary(row.secret());
            boolean old = previous != null && !vault.sealedWithPrimary(previous);
            if ((current || old) && store.resealSecrets(row,
                    current ? vault.reseal(SigningSecrets.current(row.tenantId(), row.id()), row.secret()) : row.secret(),
                    old ? vault.reseal(SigningSecrets.previous(row.tenantId(), row.id()), previous) : previous)) {
                count++;
            }
        }
        return count;
    }
}
