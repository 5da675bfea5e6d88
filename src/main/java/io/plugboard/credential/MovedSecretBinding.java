package io.plugboard.credential;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.connector.ConnectorCatalog;
import io.plugboard.connector.Destination;
import io.plugboard.crypto.SecretUnreadableException;
import io.plugboard.crypto.SecretVault;
import io.plugboard.security.TenantScope;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A built-in connector whose destination moved on its own hosts (its file's {@code movedFrom}, checked at load by
 * {@link ConnectorCatalog}): credential secrets bound to a former destination are opened with it and sealed for the
 * current one, once per start before the web server takes requests (decision 0006). Idempotent and safe with several
 * instances: only rows still bound to a former fingerprint are taken, each update re-checks fingerprint and
 * ciphertext. Status is left as it is: a credential already marked NEEDS_RECONNECT stays so until reconnected,
 * as after any other destination change.
 */
@Component
class MovedSecretBinding implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(MovedSecretBinding.class);
    private static final int BATCH = 500;

    private final CredentialStore store;
    private final ConnectorCatalog catalog;
    private final SecretVault vault;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    MovedSecretBinding(CredentialStore store, ConnectorCatalog catalog, SecretVault vault, AuditLog audit,
                       TransactionTemplate transactions) {
        this.store = store;
        this.catalog = catalog;
        this.vault = vault;
        this.audit = audit;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        moveAll();
    }

    /** Returns how many secrets were moved. */
    int moveAll() {
        int moved = 0;
        for (var move : catalog.formerDestinations().entrySet()) {
            var connector = catalog.find(move.getKey()).orElseThrow();
            moved += move(move.getKey(), move.getValue(), Destination.of(connector.definition()));
        }
        return moved;
    }

    /**
     * Rebinds {@code appKey}'s secrets bound to one of {@code former} to {@code current}; audited once with the
     * counts. Only ever given the checked moves of a built-in file (and tests).
     */
    int move(String appKey, Set<String> former, Destination current) {
        int[] counts = TenantScope.platform("moving every tenant's " + appKey + " credential secrets to the "
                + "connector's new destination", () -> moveScoped(appKey, former, current.fingerprint()));
        if (counts[0] > 0 || counts[1] > 0) {
            log.info("Moved {} {} credential secrets to the connector's new destination; {} did not open with their "
                    + "former one and were left as they are", counts[0], appKey, counts[1]);
            audit.record(AuditActor.SYSTEM, AuditRecord.of("vault.secrets.destination_moved", null)
                    .detail("kind", "credential.secret").detail("connector", appKey).detail("moved", counts[0])
                    .detail("unreadable", counts[1]));
        }
        return counts[0];
    }

    private int[] moveScoped(String appKey, Set<String> former, String destination) {
        int[] total = new int[2];
        String after = "";
        while (true) {
            var batch = store.boundTo(appKey, former, after, BATCH);
            if (batch.isEmpty()) {
                return total;
            }
            int[] counts = transactions.execute(status -> {
                int[] c = new int[2];
                for (var row : batch) {
                    try {
                        String plain = vault.open(CredentialIds.binding(row.tenantId(), row.id(), row.destination()),
                                row.secret());
                        c[0] += store.moveDestination(row, vault.seal(
                                CredentialIds.binding(row.tenantId(), row.id(), destination), plain), destination);
                    } catch (SecretUnreadableException e) {
                        // Its column was rewritten to a former fingerprint: that never rebinds a secret.
                        c[1]++;
                    }
                }
                return c;
            });
            total[0] += counts[0];
            total[1] += counts[1];
            after = batch.getLast().id();
        }
    }
}
