package io.plugboard.audit;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walks the whole chain every {@code plugboard.audit.verify-interval}. With several instances the first to
 * take the lock does it and the others see a recent run and skip. A broken chain is logged as an error,
 * recorded as {@code audit.chain.broken} and published as {@link AuditChainBroken} for alerting.
 */
@Component
class AuditChainMonitor {

    private static final Logger log = LoggerFactory.getLogger(AuditChainMonitor.class);
    private static final long MONITOR_LOCK = 0x706c7568L;

    private final AuditLog audit;
    private final AuditEventStore store;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration interval;

    AuditChainMonitor(AuditLog audit, AuditEventStore store, ApplicationEventPublisher events,
                      PlatformTransactionManager transactionManager, Clock clock,
                      @Value("${plugboard.audit.verify-interval}") Duration interval) {
        this.audit = audit;
        this.store = store;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.interval = interval;
    }

    @Scheduled(fixedDelayString = "${plugboard.audit.verify-interval}", initialDelayString = "${plugboard.audit.verify-interval}")
    void verifyOnSchedule() {
        ChainVerification result = transactions.execute(status -> {
            if (!store.tryMonitorLock(MONITOR_LOCK)) {
                return null;
            }
            boolean recent = store.lastVerification().map(run -> "scheduled".equals(run.trigger())
                    && run.result().verifiedAt().isAfter(clock.instant().minus(interval.dividedBy(2)))).orElse(false);
            if (recent) {
                return null;
            }
            long started = System.nanoTime();
            ChainVerification walked = audit.verifyChain();
            store.saveVerification(walked, "scheduled", (System.nanoTime() - started) / 1_000_000);
            if (!walked.intact()) {
                audit.record(AuditActor.SYSTEM, AuditRecord.of("audit.chain.broken", null)
                        .detail("firstBrokenSeq", walked.firstBrokenSeq() == null ? "" : walked.firstBrokenSeq())
                        .detail("message", walked.message()));
            }
            return walked;
        });
        if (result != null && !result.intact()) {
            log.error("Audit chain verification failed: {}", result.message());
            events.publishEvent(new AuditChainBroken(result));
        }
    }
}
