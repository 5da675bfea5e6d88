package io.plugboard.webhook;

import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Instant;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the outbox small: delivered deliveries leave the log after their retention, given-up ones after theirs,
 * then events with no delivery left; previous secrets whose overlap ended are dropped. Deletes run in small
 * batches (no long locks) and are harmless when several instances run them at once.
 */
@Component
class WebhookRetention {

    private static final int BATCH = 5_000;

    private final WebhookStore store;
    private final WebhookProperties properties;
    private final Clock clock;

    WebhookRetention(WebhookStore store, WebhookProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** Returns how many deliveries were deleted. */
    @Scheduled(fixedDelay = 3_600_000, initialDelay = 120_000)
    public long cleanUp() {
        return TenantScope.platform("retention: finished deliveries of every tenant", this::cleanUpScoped);
    }

    private long cleanUpScoped() {
        Instant now = clock.instant();
        long deleted = deleteAll(DeliveryStatus.DELIVERED, now.minus(properties.deliveredRetention()))
                + deleteAll(DeliveryStatus.FAILED, now.minus(properties.failedRetention()));
        while (store.deleteEventsWithoutDeliveries(BATCH) == BATCH) {
            // next batch
        }
        store.dropExpiredPreviousSecrets(now);
        return deleted;
    }

    private long deleteAll(DeliveryStatus status, Instant before) {
        long total = 0;
        int deleted;
        do {
            deleted = store.deleteFinished(status, before, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
