package io.plugboard.sync;

import io.plugboard.security.TenantScope;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The sync worker of this instance: claims due runs while it has free slots ({@code plugboard.sync.concurrency})
 * and runs each on a virtual thread. It looks again when a run ends, when "run now" is asked here, and every poll
 * interval. Across the cluster, no more than {@code max-runs-per-tenant} runs of one tenant and
 * {@code max-runs-per-host} against one provider API host are in progress at once: the claim counts them. Nothing is
 * kept in memory that the database does not have: a run this instance was doing when it
 * stopped is taken over from its checkpoint once its lease runs out.
 */
@Component
class SyncWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);
    /** Time for the pages in progress to arrive and be saved, within Spring's 30 s per shutdown phase. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final SyncStates states;
    private final SyncRunner runner;
    private final SyncProperties properties;
    private final Semaphore slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean signalled;
    private volatile boolean running;
    private @Nullable Thread loop;
    private @Nullable ExecutorService runs;

    SyncWorker(SyncStates states, SyncRunner runner, SyncProperties properties) {
        this.states = states;
        this.runner = runner;
        this.properties = properties;
        this.slots = new Semaphore(properties.concurrency());
    }

    @Override
    public void start() {
        if (!properties.workerEnabled() || running) {
            return;
        }
        running = true;
        runs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sync-run-", 0).factory());
        loop = Thread.ofPlatform().name("sync-worker").daemon().start(this::loop);
    }

    /**
     * Stops claiming; each run in progress saves the page it is reading and hands the run back, due at once, so
     * another instance carries on from there. A run still busy after the grace period is interrupted; its lease
     * runs out and it is taken over from its last checkpoint.
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
            if (runs != null) {
                runs.shutdown();
                if (!runs.awaitTermination(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    runs.shutdownNow();
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

    /** Look for due runs now rather than at the next poll. */
    void wake() {
        lock.lock();
        try {
            signalled = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Claims up to {@code limit} due runs for a new lease owner. */
    List<SyncStates.Claim> claim(int limit) {
        return TenantScope.platform("sync runs due, of every tenant",
                () -> states.claim(limit, UUID.randomUUID(), properties.lease(), properties.maxRunsPerTenant(),
                        properties.maxRunsPerHost()));
    }

    /** Claims the due runs and runs them one after the other on this thread; returns how many ran. */
    int runDue() {
        var claimed = claim(properties.concurrency());
        claimed.forEach(runner::run);
        return claimed.size();
    }

    private void loop() {
        while (running) {
            int free = slots.availablePermits();
            if (free > 0) {
                try {
                    dispatch(free);
                } catch (RuntimeException e) {
                    // The database may be briefly unreachable; the next poll tries again.
                    log.warn("Sync worker could not claim runs: {}", e.getMessage());
                }
            }
            awaitSignal(properties.pollInterval());
        }
    }

    private void dispatch(int free) {
        ExecutorService executor = Objects.requireNonNull(runs, "the worker is not started");
        for (SyncStates.Claim claim : claim(free)) {
            slots.acquireUninterruptibly();
            try {
                executor.execute(() -> {
                    try {
                        runner.run(claim, () -> running);
                    } catch (RuntimeException e) {
                        // Not recorded: the lease runs out and the run is taken over from its checkpoint.
                        log.warn("Sync of {} {} stopped: {}", claim.credentialId(), claim.model().key(), e.toString());
                    } finally {
                        slots.release();
                        wake();
                    }
                });
            } catch (RuntimeException rejected) {
                // Shutting down: the claim's lease runs out and another worker takes it.
                slots.release();
            }
        }
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
