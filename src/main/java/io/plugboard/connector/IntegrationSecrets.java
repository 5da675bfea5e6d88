package io.plugboard.connector;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.crypto.ResealBatch;
import io.plugboard.crypto.SealedSecretStore;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import java.util.Set;
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
    private final ConnectorCatalog catalog;
    private final AuditLog audit;

    IntegrationSecrets(IntegrationStore store, TenantConnectors connectors, SecretVault vault,
                       TransactionTemplate transactions, ConnectorCatalog catalog, AuditLog audit) {
        this.store = store;
        this.connectors = connectors;
        this.vault = vault;
        this.transactions = transactions;
        this.catalog = catalog;
        this.audit = audit;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Integer bound = transactions.execute(status -> bindLegacy());
        if (bound != null && bound > 0) {
            log.info("Bound {} integration client secrets to their connector's destination", bound);
        }
        for (var move : catalog.formerDestinations().entrySet()) {
            move(move.getKey(), move.getValue(), Destination.of(catalog.find(move.getKey()).orElseThrow().definition()));
        }
    }

    /**
     * A built-in connector moved on its own hosts ({@code movedFrom}, checked by {@link ConnectorCatalog}): client
     * secrets bound to a former destination are opened with it and sealed for the current one, with the same rules
     * as the credentials' ({@code MovedSecretBinding}); audited once with the counts. Returns how many moved.
     */
    int move(String appKey, Set<String> former, Destination current) {
        int[] counts = TenantScope.platform("moving every tenant's " + appKey + " client secret to the connector's "
                + "new destination", () -> transactions.execute(status -> {
                    int[] c = new int[2];
                    for (var row : store.boundTo(appKey, former)) {
                        try {
                            String plain = vault.open(IntegrationService.binding(row.tenantId(), row.id(),
                                    row.destination()), row.secret());
                            c[0] += store.moveDestination(row, vault.seal(IntegrationService.binding(row.tenantId(),
                                    row.id(), current.fingerprint()), plain), current.fingerprint());
                        } catch (SecretUnreadableException e) {
                            // Its column was rewritten to a former fingerprint: that never rebinds a secret.
                            c[1]++;
                        }
                    }
                    return c;
                }));
        if (counts[0] > 0 || counts[1] > 0) {
            log.info("Moved {} {} client secrets to the connector's new destination; {} did not open with their "
                    + "former one", counts[0], appKey, counts[1]);
            audit.record(AuditActor.SYSTEM, AuditRecord.of("vault.secrets.destination_moved", null)
                    .detail("kind", "integration.client_secret").detail("connector", appKey)
                    .detail("moved", counts[0]).detail("unreadable", counts[1]));
        }
        return counts[0];
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
