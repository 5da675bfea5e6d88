package io.plugboard.audit;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links committed audit events into the hash chain. Writers only insert; this runs every
 * {@code plugboard.audit.seal-interval} in every instance, and the advisory lock lets one of them work at a
 * time. Verification and export seal first, so what they read is chained up to the moment they start.
 */
@Component
class AuditSealer {

    private static final int BATCH = 1000;

    private final AuditEventStore store;
    private final TransactionTemplate transactions;

    AuditSealer(AuditEventStore store, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Scheduled(fixedDelayString = "${plugboard.audit.seal-interval}")
    void sealCommitted() {
        sealAll(false);
    }

    /**
     * Seals every event committed so far and returns how many. Joins the caller's transaction when there is one.
     *
     * @param wait whether to wait for a sealer running elsewhere, so nothing committed before this call is left out
     */
    int sealAll(boolean wait) {
        int total = 0;
        int sealed;
        do {
            Integer batch = transactions.execute(status -> store.seal(BATCH, wait));
            sealed = batch == null ? 0 : batch;
            total += sealed;
        } while (sealed == BATCH);
        return total;
    }
}
