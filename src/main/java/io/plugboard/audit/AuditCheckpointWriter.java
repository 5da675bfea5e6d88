package io.plugboard.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every {@code plugboard.audit.checkpoint-interval} writes a signed checkpoint of the chain's head outside the
 * database: appended to {@code plugboard.audit.checkpoint-file}, logged, and published for the
 * {@code audit.checkpoint} webhook event. One is written even when the head has not moved: it proves that
 * nothing was dropped up to that time. With several instances the first to take the lock writes it (to its own
 * file) and the others see a recent one and skip.
 */
@Component
class AuditCheckpointWriter {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpointWriter.class);
    private static final long CHECKPOINT_LOCK = 0x706c7569L;

    private final AuditEventStore store;
    private final AuditSealer sealer;
    private final CheckpointKeys keys;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration interval;
    private final CheckpointFile file;

    AuditCheckpointWriter(AuditEventStore store, AuditSealer sealer, CheckpointKeys keys,
                          ApplicationEventPublisher events, PlatformTransactionManager transactionManager, Clock clock,
                          @Value("${plugboard.audit.checkpoint-interval}") Duration interval, CheckpointFile file) {
        this.store = store;
        this.sealer = sealer;
        this.keys = keys;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.interval = interval;
        this.file = file;
    }

    @Scheduled(fixedDelayString = "${plugboard.audit.checkpoint-interval}",
            initialDelayString = "${plugboard.audit.checkpoint-interval}")
    void checkpointOnSchedule() {
        write(true);
    }

    /**
     * Seals what was committed, then signs the head. The file is written after the commit: a checkpoint of a head
     * whose sealing rolled back would not match the chain that is sealed again later.
     *
     * @param onlyIfDue skip when any instance wrote one less than half an interval ago
     */
    Optional<AuditCheckpoint> write(boolean onlyIfDue) {
        sealer.sealAll(true);
        AuditCheckpoint checkpoint = transactions.execute(status -> {
            if (!store.tryMonitorLock(CHECKPOINT_LOCK)) {
                return null;
            }
            if (onlyIfDue && store.lastCheckpointAt()
                    .map(last -> last.isAfter(clock.instant().minus(interval.dividedBy(2)))).orElse(false)) {
                return null;
            }
            AuditEventStore.ChainHead head = store.head();
            AuditCheckpoint signed = AuditCheckpoint.sign(head.position(), head.hash(), clock.instant(), keys);
            store.saveCheckpoint(signed);
            events.publishEvent(new AuditCheckpointWritten(signed));
            return signed;
        });
        if (checkpoint == null) {
            return Optional.empty();
        }
        log.info("Audit checkpoint: {}", checkpoint.line());
        try {
            file.append(checkpoint);
        } catch (IOException e) {
            log.error("Audit checkpoint could not be appended to {}: {}", file.path(), e.getMessage());
        }
        return Optional.of(checkpoint);
    }

    Path file() {
        return file.path();
    }
}
