package io.plugboard.webhook;

import io.plugboard.audit.AuditCheckpointWritten;
import io.plugboard.connect.ConnectSessionCompleted;
import io.plugboard.credential.CredentialEvents;
import io.plugboard.security.TenantScope;
import io.plugboard.sync.SyncEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns application events into outbox rows inside the transaction that published them: the event is stored
 * exactly when the change it describes commits. A publisher without a transaction is a bug and fails
 * ({@link Propagation#MANDATORY}) rather than emit an event its change might never match.
 */
@Component
class WebhookOutbox {

    private final WebhookStore store;
    private final WebhookProperties properties;
    private final WebhookDispatcher dispatcher;
    private final Clock clock;

    WebhookOutbox(WebhookStore store, WebhookProperties properties, WebhookDispatcher dispatcher, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(CredentialEvents.CredentialEvent event) {
        Instant now = clock.instant();
        enqueue(event.tenantId(), WebhookPayloads.of(event, now), event.credentialId(), now);
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ConnectSessionCompleted event) {
        Instant now = clock.instant();
        enqueue(event.tenantId(), WebhookPayloads.of(event, now), event.credentialId(), now);
    }

    /** A change of many records may be several events, each its own outbox row, in order for the credential. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(SyncEvents.SyncEvent event) {
        Instant now = clock.instant();
        for (WebhookPayloads.Payload payload : WebhookPayloads.of(event, now)) {
            enqueue(event.tenantId(), payload, event.credentialId(), now);
        }
    }

    /**
     * A platform-wide fact, sent to every endpoint of any tenant that subscribes: each tenant gets its own event.
     * It carries the chain's position and head hash only; see docs/webhooks.md for what the position reveals.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(AuditCheckpointWritten event) {
        Instant now = clock.instant();
        var subscribers = TenantScope.platform("a checkpoint goes to the subscribing endpoints of every tenant",
                () -> store.tenantsSubscribedTo(WebhookEventType.AUDIT_CHECKPOINT.wireName()));
        for (UUID tenantId : subscribers) {
            enqueue(tenantId, WebhookPayloads.of(event.checkpoint(), tenantId, now), null, now);
        }
    }

    private void enqueue(UUID tenantId, WebhookPayloads.Payload payload, @Nullable String credentialId, Instant now) {
        // Whoever caused the event (an end user on a connect page, a background refresh), the outbox rows are its
        // tenant's.
        int deliveries = TenantScope.tenant(tenantId, () -> store.enqueue(tenantId, payload.id(), payload.type(),
                payload.json(), credentialId, now, now.plus(properties.maxAge())));
        if (deliveries > 0) {
            wakeAfterCommit();
        }
    }

    /** This instance's worker starts at once instead of at its next poll; others find the rows when they poll. */
    void wakeAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                dispatcher.wake();
            }
        });
    }
}
