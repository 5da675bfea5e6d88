package io.plugboard.webhook;

import io.plugboard.security.TenantScope;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
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
    private final Semaphore slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean signalled;
    private final AtomicLong attempted = new AtomicLong();
    private volatile boolean running;
    private @Nullable Thread loop;
    private @Nullable ExecutorService attempts;

    WebhookDispatcher(WebhookStore store, SigningSecrets secrets, WebhookSender sender, DeliveryRecorder recorder,
                      WebhookProperties properties, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.sender = sender;
        this.recorder = recorder;
        this.properties = properties;
        this.clock = clock;
        this.slots = new Semaphore(properties.concurrency());
    }

    @Override
    public void start() {
        if (!properties.workerEnabled() || running) {
            return;
        }
        running = true;
        attempts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-delivery-", 0).factory());
        loop = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::run);
    }

    /**
     * Stops claiming and gives attempts in flight the time an attempt may take to finish. Whatever is still
     * running after that keeps its lease and is taken over by another worker when the lease ends.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            if (loop != null) {
                loop.join(Duration.ofSeconds(10));
            }
            if (attempts != null) {
                attempts.shutdown();
                if (!attempts.awaitTermination(properties.connectTimeout().plus(properties.timeout()).toMillis() + 2_000,
                        TimeUnit.MILLISECONDS)) {
                    attempts.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Attempts this worker has made since it was created. */
    long attempted() {
        return attempted.get();
    }

    /** Look for due deliveries now rather than at the next poll. */
    void wake() {
        lock.lock();
        try {
            signalled = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * While a backlog lasts (the last claim filled every free slot), claims wait until half the slots are free, so
     * each claim takes a batch; otherwise one free slot is enough, so a new event goes out at once.
     */
    private void run() {
        boolean backlog = false;
        while (running) {
            int free = slots.availablePermits();
            int wanted = backlog ? Math.max(1, properties.concurrency() / 2) : 1;
            int claimed = 0;
            if (free >= wanted) {
                try {
                    claimed = dispatchDue(free);
                } catch (RuntimeException e) {
                    // The database may be briefly unreachable; the next poll tries again.
                    log.warn("Webhook worker could not claim deliveries: {}", e.getMessage());
                }
                backlog = claimed == free;
            }
            if (free < wanted || claimed < free) {
                awaitSignal(properties.pollInterval());
            }
        }
    }

    /** Claims up to {@code limit} due deliveries and starts an attempt for each. Returns how many. */
    int dispatchDue(int limit) {
        Instant now = clock.instant();
        List<WebhookStore.Claimed> claimed = TenantScope.platform("deliveries due, of every tenant",
                () -> store.claim(limit, properties.perEndpointConcurrency(), now, now.plus(properties.lease()),
                        UUID.randomUUID()));
        ExecutorService executor = Objects.requireNonNull(attempts, "the worker is not started");
        for (WebhookStore.Claimed delivery : claimed) {
            slots.acquireUninterruptibly();
            try {
                executor.execute(() -> {
                    try {
                        deliver(delivery);
                    } catch (RuntimeException e) {
                        // Not recorded: the lease runs out and the delivery is attempted again.
                        log.warn("Webhook delivery {} could not be recorded: {}", delivery.id(), e.getMessage());
                    } finally {
                        slots.release();
                        wake();
                    }
                });
            } catch (RuntimeException rejected) {
                // Shutting down: the claimed delivery's lease runs out and another worker takes it.
                slots.release();
            }
        }
        return claimed.size();
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

    private void awaitSignal(Duration timeout) {
        lock.lock();
        try {
            if (!signalled && running) {
                signal.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
