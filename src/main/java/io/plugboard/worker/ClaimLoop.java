package io.plugboard.worker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A worker loop of this instance: one platform thread claims due items while it has free slots
 * ({@link Settings#concurrency()}) and does each on a virtual thread. It looks again when an item ends, when
 * {@link #wake()} is called, and every poll interval. What is claimed lives in the database under a lease, so
 * nothing is lost when this instance stops: an item that was not finished is claimed again once its lease runs out.
 *
 * @param <T> a claimed item
 */
public final class ClaimLoop<T> {

    /** What the loop claims and does; the owner words its own log lines. */
    public interface Work<T> {

        /** Claims up to {@code limit} due items for this instance. */
        List<T> claim(int limit);

        /** Does one claimed item, on its own virtual thread. */
        void run(T item);

        /** {@link #run} failed; the item keeps its lease until it runs out and is then claimed again. */
        void failed(T item, RuntimeException e);

        /** {@link #claim} failed (the database may be briefly unreachable); the next poll tries again. */
        void claimFailed(RuntimeException e);
    }

    /**
     * @param loopThread   name of the platform thread that claims
     * @param workThreads  prefix of the virtual threads that do the items (numbered from 0)
     * @param concurrency  items in progress at once on this instance
     * @param pollInterval longest wait between two looks when nobody wakes the loop
     * @param stopGrace    time items in progress get to finish when the loop stops, before they are interrupted
     * @param drainBacklog while the last claim filled every free slot, claim again at once, and only when half the
     *                     slots are free, so a backlog is taken in batches; otherwise wait after each claim
     */
    public record Settings(String loopThread, String workThreads, int concurrency, Duration pollInterval,
                           Duration stopGrace, boolean drainBacklog) {
    }

    /** How long {@link #stop()} waits for the claiming thread to notice. */
    private static final Duration LOOP_JOIN = Duration.ofSeconds(10);

    private final Settings settings;
    private final Work<T> work;
    private final Semaphore slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean signalled;
    private volatile boolean running;
    private @Nullable Thread loop;
    private @Nullable ExecutorService items;

    public ClaimLoop(Settings settings, Work<T> work) {
        this.settings = settings;
        this.work = work;
        this.slots = new Semaphore(settings.concurrency());
    }

    public void start() {
        if (running) {
            return;
        }
        running = true;
        items = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(settings.workThreads(), 0).factory());
        loop = Thread.ofPlatform().name(settings.loopThread()).daemon().start(this::loop);
    }

    /**
     * Stops claiming and gives the items in progress the stop grace to finish (they see {@link #isRunning()} turn
     * false); whatever is still busy after that is interrupted and keeps its lease until it runs out.
     */
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            if (loop != null) {
                loop.join(LOOP_JOIN);
            }
            if (items != null) {
                items.shutdown();
                if (!items.awaitTermination(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    items.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** False from the moment {@link #stop()} is called: items in progress use it to hand their work back. */
    public boolean isRunning() {
        return running;
    }

    /** Look for due items now rather than at the next poll. */
    public void wake() {
        lock.lock();
        try {
            signalled = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        boolean backlog = false;
        while (running) {
            int free = slots.availablePermits();
            int wanted = backlog ? Math.max(1, settings.concurrency() / 2) : 1;
            int claimed = 0;
            if (free >= wanted) {
                try {
                    claimed = dispatch(free);
                } catch (RuntimeException e) {
                    work.claimFailed(e);
                }
                backlog = settings.drainBacklog() && claimed == free;
            }
            if (!settings.drainBacklog() || free < wanted || claimed < free) {
                awaitSignal(settings.pollInterval());
            }
        }
    }

    /** Claims up to {@code limit} items and starts each on its own thread. Returns how many were claimed. */
    private int dispatch(int limit) {
        List<T> claimed = work.claim(limit);
        ExecutorService executor = Objects.requireNonNull(items, "the worker is not started");
        for (T item : claimed) {
            slots.acquireUninterruptibly();
            try {
                executor.execute(() -> {
                    try {
                        work.run(item);
                    } catch (RuntimeException e) {
                        work.failed(item, e);
                    } finally {
                        slots.release();
                        wake();
                    }
                });
            } catch (RuntimeException rejected) {
                // Shutting down: the item's lease runs out and another worker takes it.
                slots.release();
            }
        }
        return claimed.size();
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
