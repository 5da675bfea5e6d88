package io.plugboard.credential;

import io.plugboard.security.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries the provider revocations that are due, on every instance: each poll claims a batch (see
 * {@link ProviderRevocations#claim}) and attempts its revocations side by side on virtual threads, outside any
 * transaction. Nothing is kept in memory: a revocation whose worker died is claimed again when its lease runs out.
 */
@Component
class RevocationWorker {

    private static final Logger log = LoggerFactory.getLogger(RevocationWorker.class);

    /** Longer than any attempt can take, so only a worker that died loses its claim. */
    static final Duration LEASE = ProviderRevocation.maxAttemptTime().plusSeconds(60);

    private final ProviderRevocations store;
    private final RevocationQueue queue;
    private final RevocationProperties properties;
    private final Clock clock;
    private final AtomicInteger wakes = new AtomicInteger();

    RevocationWorker(ProviderRevocations store, RevocationQueue queue, RevocationProperties properties, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Polls now, on a thread of its own, rather than at the next scheduled poll: a bulk revoke queues first attempts
     * due at once. Wakes while a woken poll runs are folded into it, which polls again before it ends, so none is
     * lost and a burst of wakes starts one thread.
     */
    void wake() {
        if (!properties.workerEnabled() || wakes.getAndIncrement() > 0) {
            return;
        }
        Thread.ofVirtual().name("provider-revocation-woken").start(() -> {
            int seen;
            do {
                seen = wakes.get();
                poll();
            } while (!wakes.compareAndSet(seen, 0));
        });
    }

    @Scheduled(fixedDelayString = "${plugboard.revocation.poll-interval}",
            initialDelayString = "${plugboard.revocation.poll-interval}")
    void poll() {
        if (!properties.workerEnabled()) {
            return;
        }
        try {
            while (retryDue(clock.instant()) == properties.batch()) {
                // A full batch: there may be more due right now.
            }
        } catch (RuntimeException e) {
            // The database may be briefly unreachable; the next poll tries again.
            log.warn("Provider revocation worker could not claim revocations: {}", e.getMessage());
        }
    }

    /**
     * Claims up to one batch of revocations due by {@code now}, attempts each, and returns how many it claimed once
     * all are recorded. {@code now} is also the time the outcomes are recorded at and the next attempts reckoned from.
     */
    int retryDue(Instant now) {
        List<ProviderRevocations.Claimed> claimed = TenantScope.platform("revocations due, of every tenant",
                () -> store.claim(properties.batch(), now, now.plus(LEASE), UUID.randomUUID()));
        if (claimed.isEmpty()) {
            return 0;
        }
        try (var attempts = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("provider-revocation-", 0).factory())) {
            var running = new ArrayList<Future<?>>();
            for (var revocation : claimed) {
                running.add(attempts.submit(() -> TenantScope.tenant(revocation.tenantId(),
                        () -> queue.retry(revocation, now))));
            }
            for (int i = 0; i < running.size(); i++) {
                try {
                    running.get(i).get();
                } catch (ExecutionException e) {
                    // Not recorded: the lease runs out and the revocation is attempted again.
                    log.warn("Provider revocation of {} could not be recorded: {}", claimed.get(i).credentialId(),
                            e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return claimed.size();
    }
}
