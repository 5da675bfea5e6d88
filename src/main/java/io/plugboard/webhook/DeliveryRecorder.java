package io.plugboard.webhook;

import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what came of an attempt, the endpoint's health and the audit events, in one transaction. Every write is
 * conditional on the worker still holding the delivery's lease: an attempt that outlived its lease (a stalled
 * instance) changes nothing, and the delivery is retried by whoever took it over.
 */
@Component
class DeliveryRecorder {

    static final String GONE_REASON = "The receiver answered 410 Gone";

    private final WebhookStore store;
    private final AuditLog audit;
    private final WebhookProperties properties;
    private final Backoff backoff;

    DeliveryRecorder(WebhookStore store, AuditLog audit, WebhookProperties properties) {
        this.store = store;
        this.audit = audit;
        this.properties = properties;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
    }

    @Transactional
    public void record(WebhookStore.Claimed claimed, WebhookSender.Attempt attempt, Instant now) {
        int attempts = claimed.attempts() + 1;
        if (attempt.delivered()) {
            if (store.recordDelivered(claimed, attempt.statusCode(), attempt.snippet(), now)) {
                audit.record(AuditActor.SYSTEM, event("webhook.delivery.succeeded", claimed)
                        .detail("attempts", attempts).detail("status", attempt.statusCode()));
                int endedStreak = store.endpointSucceeded(claimed.endpointId(), now);
                if (endedStreak >= properties.unhealthyAfter()) {
                    audit.record(AuditActor.SYSTEM, AuditRecord.of("webhook.endpoint.recovered", claimed.tenantId())
                            .target("webhook_endpoint", claimed.endpointId()).detail("failuresBefore", endedStreak));
                }
            }
            return;
        }
        if (attempt.gone()) {
            if (store.recordFailed(claimed, attempt.statusCode(), GONE_REASON, attempt.snippet(), now, true)) {
                audit.record(AuditActor.SYSTEM, event("webhook.delivery.failed", claimed)
                        .detail("attempts", attempts).detail("status", 410).detail("reason", GONE_REASON));
                if (store.disableEndpoint(claimed.endpointId(), GONE_REASON + "; enable it again once it accepts "
                        + "deliveries", now)) {
                    audit.record(AuditActor.SYSTEM, AuditRecord.of("webhook.endpoint.disabled", claimed.tenantId())
                            .target("webhook_endpoint", claimed.endpointId()).detail("reason", GONE_REASON));
                }
            }
            return;
        }
        String error = attempt.error() != null ? attempt.error() : "The receiver answered " + attempt.statusCode();
        Instant next = now.plus(backoff.after(attempts));
        boolean recorded;
        if (next.isAfter(claimed.giveUpAt())) {
            recorded = store.recordFailed(claimed, attempt.statusCode(), error, attempt.snippet(), now, true);
            if (recorded) {
                audit.record(AuditActor.SYSTEM, event("webhook.delivery.failed", claimed).detail("attempts", attempts)
                        .detail("status", attempt.statusCode()).detail("reason", "gave up after " + attempts
                                + " attempts: " + error));
            }
        } else {
            recorded = store.recordRetry(claimed, attempt.statusCode(), error, attempt.snippet(), now, next);
        }
        if (recorded && store.endpointFailed(claimed.endpointId(), now) == properties.unhealthyAfter()) {
            audit.record(AuditActor.SYSTEM, AuditRecord.of("webhook.endpoint.failing", claimed.tenantId())
                    .target("webhook_endpoint", claimed.endpointId())
                    .detail("consecutiveFailures", properties.unhealthyAfter()).detail("lastError", error));
        }
    }

    private static AuditRecord event(String action, WebhookStore.Claimed claimed) {
        return AuditRecord.of(action, claimed.tenantId()).target("webhook_delivery", claimed.id())
                .detail("endpoint", claimed.endpointId().toString()).detail("event", claimed.eventId())
                .detail("type", claimed.eventType());
    }
}
