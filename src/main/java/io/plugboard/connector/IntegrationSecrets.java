package io.plugboard.connector;

import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Integration OAuth client secrets, for master-key rotation; and, once at start-up, the upgrade that binds secrets
 * stored before destinations were bound to their connector's destination as defined now (decision 0006), with
 * the same rules as the credentials' ({@code LegacySecretBinding}).
 */
@Component
class IntegrationSecrets implements SealedSecretStore, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(IntegrationSecrets.class);

    private final IntegrationStore store;
    private final TenantConnectors connectors;
    private final SecretVault vault;
    private final TransactionTemplate transactions;

    IntegrationSecrets(IntegrationStore store, TenantConnectors connectors, SecretVault vault,
                       TransactionTemplate transactions) {
        this.store = store;
        this.connectors = connectors;
        this.vault = vault;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Integer bound = transactions.execute(status -> bindLegacy());
        if (bound != null && bound > 0) {
            log.info("Bound {} integration client secrets to their connector's destination", bound);
        }
    }

    /** Secrets with no destination stored, opened with their old associated data and sealed for one. */
    int bindLegacy() {
        return TenantScope.platform("binding every tenant's legacy client secrets", this::bindLegacyScoped);
    }

    private int bindLegacyScoped() {
        int bound = 0;
        for (var row : store.withSecrets()) {
            if (row.clientSecretDestination() != null) {
                continue;
            }
            UUID tenantId = store.tenantOf(row.id());
            var connector = connectors.find(tenantId, row.appKey()).map(CatalogEntry::definition);
            if (connector.isEmpty()) {
                continue;
            }
            String destination = Destination.of(connector.get()).fingerprint();
            try {
                String plain = vault.open(IntegrationService.binding(tenantId, row.id(), null), row.clientSecret());
                bound += store.bindDestination(row, vault.seal(IntegrationService.binding(tenantId, row.id(),
                        destination), plain), destination);
            } catch (SecretUnreadableException e) {
                // Sealed for a destination whose column was cleared: clearing it must not rebind the secret.
            }
        }
        return bound;
    }

    @Override
    public String name() {
        return "Integration OAuth client secrets";
    }

    @Override
    public long countNotOnPrimary(SecretVault vault) {
        return store.countSecretsNotOn(vault.primaryKeyIdBytes());
    }

    /** Re-seals with the destination stored beside each secret, never the connector's current one. */
    @Override
    @Transactional
    public ResealBatch resealBatch(SecretVault vault, @Nullable String after, int limit) {
        return ResealBatch.over(store.secretsNotOn(vault.primaryKeyIdBytes(),
                        after == null ? IntegrationStore.NO_ID : UUID.fromString(after), limit),
                row -> row.id().toString(), row -> store.reseal(row, vault.reseal(
                        IntegrationService.binding(row.tenantId(), row.id(), row.destination()), row.secret())));
    }
}
