package io.plugboard.webhook;

import io.plugboard.security.TenantScope;
import io.plugboard.worker.ClaimLoop;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The delivery worker of this instance. It claims due deliveries from the outbox (see
 * {@link WebhookStore#claim}) as long as it has free slots, makes each attempt on a virtual thread outside any
 * transaction, and records the outcome. It looks again when a slot frees up, when this instance commits a new
 * event, and every poll interval (for events other instances wrote and for retries that came due).
 *
 * <p>Nothing is held in memory that the database does not also have: after a crash or restart, deliveries that
 * were in flight become claimable again when their lease runs out, so each event is delivered at least once.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookStore store;
    private final SigningSecrets secrets;
    private final WebhookSender sender;
    private final DeliveryRecorder recorder;
    private final WebhookProperties properties;
    private final Clock clock;
    private final AtomicLong attempted = new AtomicLong();
    private final ClaimLoop<WebhookStore.Claimed> loop;

    WebhookDispatcher(WebhookStore store, SigningSecrets secrets, WebhookSender sender, DeliveryRecorder recorder,
                      WebhookProperties properties, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.sender = sender;
        this.recorder = recorder;
        this.properties = properties;
        this.clock = clock;
        // While a backlog lasts each claim takes a batch; otherwise one free slot is enough, so a new event goes
        // out at once. Attempts in flight get the time an attempt may take to finish when the worker stops.
        this.loop = new ClaimLoop<>(new ClaimLoop.Settings("webhook-dispatcher", "webhook-delivery-",
                properties.concurrency(), properties.pollInterval(),
                properties.connectTimeout().plus(properties.timeout()).plusSeconds(2), true), new Deliveries());
    }

    @Override
    public void start() {
        if (properties.workerEnabled()) {
            loop.start();
        }
    }

    /**
     * Stops claiming and gives attempts in flight the time an attempt may take to finish. Whatever is still
     * running after that keeps its lease and is taken over by another worker when the lease ends.
     */
    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Attempts this worker has made since it was created. */
    long attempted() {
        return attempted.get();
    }

    /** Look for due deliveries now rather than at the next poll. */
    void wake() {
        loop.wake();
    }

    /** Claims up to {@code limit} due deliveries for a new lease owner. */
    private List<WebhookStore.Claimed> claim(int limit) {
        Instant now = clock.instant();
        return TenantScope.platform("deliveries due, of every tenant",
                () -> store.claim(limit, properties.perEndpointConcurrency(), now, now.plus(properties.lease()),
                        UUID.randomUUID()));
    }

    /** One attempt, signed at the moment it is sent, then its outcome recorded. */
    void deliver(WebhookStore.Claimed delivery) {
        TenantScope.tenant(delivery.tenantId(), () -> deliverScoped(delivery));
    }

    private void deliverScoped(WebhookStore.Claimed delivery) {
        attempted.incrementAndGet();
        Instant now = clock.instant();
        WebhookSender.Attempt attempt;
        try {
            List<String> signing = secrets.signing(delivery.tenantId(), delivery.endpointId(), delivery.secret(),
                    delivery.previousSecret(), delivery.previousSecretUntil(), now);
            String signature = WebhookSignature.header(now.getEpochSecond(), signing, delivery.payload());
            attempt = sender.send(new WebhookSender.Request(URI.create(delivery.url()), delivery.eventId(),
                    delivery.eventType(), delivery.payload(), signature, delivery.attempts() + 1));
        } catch (RuntimeException e) {
            attempt = new WebhookSender.Attempt(0, "Could not sign the delivery (" + e.getClass().getSimpleName() + ")",
                    null);
        }
        recorder.record(delivery, attempt, clock.instant());
    }

    private final class Deliveries implements ClaimLoop.Work<WebhookStore.Claimed> {

        @Override
        public List<WebhookStore.Claimed> claim(int limit) {
            return WebhookDispatcher.this.claim(limit);
        }

        @Override
        public void run(WebhookStore.Claimed delivery) {
            deliver(delivery);
        }

        @Override
        public void failed(WebhookStore.Claimed delivery, RuntimeException e) {
            // Not recorded: the lease runs out and the delivery is attempted again.
            log.warn("Webhook delivery {} could not be recorded: {}", delivery.id(), e.getMessage());
        }

        @Override
        public void claimFailed(RuntimeException e) {
            log.warn("Webhook worker could not claim deliveries: {}", e.getMessage());
        }
    }
}
