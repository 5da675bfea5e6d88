package io.plugboard.webhook;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what came of an attempt, the endpoint's health and the audit events, in one transaction. Nothing is
 * written unless the worker still holds the delivery's lease: an attempt that outlived its lease (a stalled
 * instance) changes nothing, and the delivery is retried by whoever took it over.
 *
 * <p>Lock order: the endpoint's row first, then delivery rows, as in {@link WebhookService}'s endpoint changes;
 * taken the other way round, a delivery's outcome and an admin enabling its endpoint deadlocked. Audit writes take
 * no lock (decision 0003).
 */
@Component
class DeliveryRecorder {

    static final String GONE_REASON = "The receiver answered 410 Gone";

    private final WebhookStore store;
    private final AuditLog audit;
    private final WebhookProperties properties;
    private final Backoff backoff;
    private final WebhookMetrics metrics;

    DeliveryRecorder(WebhookStore store, AuditLog audit, WebhookProperties properties, WebhookMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.audit = audit;
        this.properties = properties;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    }

    /**
     * Records one attempt's outcome. The attempt that makes the endpoint "failing" audits that in the same
     * transaction, so whoever sees the fifth failure also sees the audit event.
     */
    @Transactional
    public void record(WebhookStore.Claimed claimed, WebhookSender.Attempt attempt, Instant now) {
        // The endpoint's row before any delivery row, as in WebhookService: the same order everywhere.
        store.lockEndpoint(claimed.tenantId(), claimed.endpointId());
        if (!store.stillLeased(claimed)) {
            return;
        }
        int attempts = claimed.attempts() + 1;
        if (attempt.delivered()) {
            audit.record(AuditActor.SYSTEM, event("webhook.delivery.succeeded", claimed)
                    .detail("attempts", attempts).detail("status", attempt.statusCode()));
            if (store.recordDelivered(claimed, attempt.statusCode(), attempt.snippet(), now)) {
                metrics.attempted(WebhookMetrics.Outcome.DELIVERED);
                store.releaseNextFollower(claimed, now);
                int endedStreak = store.endpointSucceeded(claimed.endpointId(), now);
                if (endedStreak >= properties.unhealthyAfter()) {
                    audit.record(AuditActor.SYSTEM, AuditRecord.of("webhook.endpoint.recovered", claimed.tenantId())
                            .target("webhook_endpoint", claimed.endpointId()).detail("failuresBefore", endedStreak));
                }
            }
            return;
        }
        if (attempt.gone()) {
            audit.record(AuditActor.SYSTEM, event("webhook.delivery.failed", claimed)
                    .detail("attempts", attempts).detail("status", 410).detail("reason", GONE_REASON));
            metrics.attempted(WebhookMetrics.Outcome.FAILED);
            if (store.recordFailed(claimed, attempt.statusCode(), GONE_REASON, attempt.snippet(), now, true)
                    && store.disableEndpoint(claimed.endpointId(), GONE_REASON + "; enable it again once it accepts "
                    + "deliveries", now)) {
                store.parkPending(claimed.endpointId());
                audit.record(AuditActor.SYSTEM, AuditRecord.of("webhook.endpoint.disabled", claimed.tenantId())
                        .target("webhook_endpoint", claimed.endpointId()).detail("reason", GONE_REASON));
            }
            return;
        }
        String error = attempt.error() != null ? attempt.error() : "The receiver answered " + attempt.statusCode();
        Instant next = now.plus(backoff.after(attempts));
        if (next.isAfter(claimed.giveUpAt())) {
            audit.record(AuditActor.SYSTEM, event("webhook.delivery.failed", claimed).detail("attempts", attempts)
                    .detail("status", attempt.statusCode()).detail("reason", "gave up after " + attempts
                            + " attempts: " + error));
            if (store.recordFailed(claimed, attempt.statusCode(), error, attempt.snippet(), now, true)) {
                metrics.attempted(WebhookMetrics.Outcome.FAILED);
                store.releaseNextFollower(claimed, now);
                countFailure(claimed, attempt, now);
            }
            return;
        }
        if (store.recordRetry(claimed, attempt.statusCode(), error, attempt.snippet(), now, next)) {
            metrics.attempted(WebhookMetrics.Outcome.RETRY);
            store.holdFollowers(claimed, next);
            countFailure(claimed, attempt, now);
        }
    }

    /** Counts a failed attempt against the endpoint; the one that makes {@code unhealthy-after} in a row is audited. */
    private void countFailure(WebhookStore.Claimed claimed, WebhookSender.Attempt attempt, Instant now) {
        if (store.endpointFailed(claimed.endpointId(), now) != properties.unhealthyAfter()) {
            return;
        }
        audit.record(AuditActor.SYSTEM, AuditRecord.of("webhook.endpoint.failing", claimed.tenantId())
                .target("webhook_endpoint", claimed.endpointId())
                .detail("consecutiveFailures", properties.unhealthyAfter())
                .detail("lastError", attempt.error() != null ? attempt.error() : "HTTP " + attempt.statusCode()));
    }

    private static AuditRecord event(String action, WebhookStore.Claimed claimed) {
        return AuditRecord.of(action, claimed.tenantId()).target("webhook_delivery", claimed.id())
                .detail("endpoint", claimed.endpointId().toString()).detail("event", claimed.eventId())
                .detail("type", claimed.eventType());
    }
}
