package io.plugboard.credential;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.Destination;
import io.plugboard.connector.TenantConnectors;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The upgrade to destination-bound secrets: credential secrets sealed before it (no destination stored) are
 * opened once with their old associated data and sealed again for their connector's destination as defined now,
 * which is the destination they were entered for unless it changed in the very same upgrade (decision 0006).
 *
 * <p>Runs once the application's beans exist and before the web server takes requests, so no call sees an unbound
 * secret (one is refused on use: {@link DestinationGuard} matches no destination against none). Idempotent and safe
 * with several instances starting together: only rows still unbound are taken, each update re-checks that the row
 * is still unbound and holds the same ciphertext. A secret that does not open without a destination (sealed with
 * one whose column was since cleared in SQL) is left alone: clearing the column never rebinds a secret.
 */
@Component
class LegacySecretBinding implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(LegacySecretBinding.class);
    private static final int BATCH = 500;

    private final CredentialStore store;
    private final TenantConnectors connectors;
    private final SecretVault vault;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    LegacySecretBinding(CredentialStore store, TenantConnectors connectors, SecretVault vault, AuditLog audit,
                        TransactionTemplate transactions) {
        this.store = store;
        this.connectors = connectors;
        this.vault = vault;
        this.audit = audit;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        bindAll();
    }

    /** Returns how many secrets were bound. */
    int bindAll() {
        return TenantScope.platform("binding every tenant's legacy credential secrets", this::bindAllScoped);
    }

    private int bindAllScoped() {
        int bound = 0;
        int skipped = 0;
        String after = "";
        while (true) {
            var batch = store.unboundSecrets(after, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            int[] counts = transactions.execute(status -> {
                int[] c = new int[2];
                for (var row : batch) {
                    var connector = connectors.find(row.tenantId(), row.appKey()).map(CatalogEntry::definition);
                    if (connector.isEmpty()) {
                        c[1]++;
                        continue;
                    }
                    String destination = Destination.of(connector.get()).fingerprint();
                    try {
                        String plain = vault.open(CredentialIds.binding(row.tenantId(), row.id(), null), row.secret());
                        c[0] += store.bindDestination(row, vault.seal(
                                CredentialIds.binding(row.tenantId(), row.id(), destination), plain), destination);
                    } catch (SecretUnreadableException e) {
                        c[1]++;
                    }
                }
                return c;
            });
            bound += counts[0];
            skipped += counts[1];
            after = batch.getLast().id();
        }
        if (bound > 0 || skipped > 0) {
            log.info("Bound {} credential secrets to their connector's destination; {} left unbound (connector gone "
                    + "or secret unreadable without a destination) and refused on use", bound, skipped);
            audit.record(AuditActor.SYSTEM, AuditRecord.of("vault.secrets.destination_bound", null)
                    .detail("kind", "credential.secret").detail("bound", bound).detail("leftUnbound", skipped));
        }
        return bound;
    }
}
