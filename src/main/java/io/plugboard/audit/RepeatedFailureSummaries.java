package io.plugboard.audit;

import java.time.Clock;
import java.time.Instant;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes the windows of repeated anonymous failures: for each window with more than the one failure audited when it
 * happened, one {@value #ACTION} event with the count. The rows leave the working table in the same transaction as
 * the events are appended, so a window is summed up exactly once however many instances run this.
 */
@Component
public class RepeatedFailureSummaries {

    static final String ACTION = "audit.failures.repeated";
    private static final int BATCH = 1_000;

    private final RepeatedFailureCounter counter;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RepeatedFailureSummaries(RepeatedFailureCounter counter, AuditLog audit, TransactionTemplate transactions,
                             Clock clock) {
        this.counter = counter;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    void closeEndedWindows() {
        closeWindowsEndedBy(clock.instant());
    }

    /** Returns how many windows were closed. */
    public long closeWindowsEndedBy(Instant now) {
        long total = 0;
        int closed;
        do {
            Integer batch = transactions.execute(status -> {
                var windows = counter.takeClosed(now, BATCH);
                for (var window : windows) {
                    if (window.occurrences() > 1) {
                        audit.record(AuditActor.anonymous(window.source()), AuditRecord.of(ACTION, window.tenantId())
                                .target("source", window.source())
                                .detail("kind", window.kind())
                                .detail("occurrences", window.occurrences())
                                .detail("auditedSeparately", 1)
                                .detail("windowStart", window.windowStart().toString())
                                .detail("windowEnd", window.windowEnd().toString())
                                .detail("lastAt", window.lastAt().toString()));
                    }
                }
                return windows.size();
            });
            closed = batch == null ? 0 : batch;
            total += closed;
        } while (closed == BATCH);
        return total;
    }
}
