package io.plugboard.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop on its own, with an in-memory queue standing in for the database. */
class ClaimLoopTest {

    /** Long enough that nothing in these tests happens because of a poll: only a wake or an item ending. */
    private static final Duration NO_POLL = Duration.ofHours(1);

    private final Queue<Integer> due = new ConcurrentLinkedQueue<>();
    private final List<ClaimLoop<Integer>> started = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();

    @AfterEach
    void stopLoops() {
        gates.forEach(CountDownLatch::countDown);
        started.forEach(ClaimLoop::stop);
    }

    @Test
    void neverRunsMoreItemsAtOnceThanItsSlots() throws InterruptedException {
        for (int i = 0; i < 30; i++) {
            due.add(i);
        }
        var inFlight = new AtomicInteger();
        var most = new AtomicInteger();
        var done = new CountDownLatch(30);
        start(settings(3, false), item -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            sleep(5);
            inFlight.decrementAndGet();
            done.countDown();
        });

        assertThat(done.await(20, TimeUnit.SECONDS)).as("every item ran, each end waking the loop").isTrue();
        assertThat(most.get()).isEqualTo(3);
    }

    @Test
    void aWakeMakesItClaimBeforeThePoll() throws InterruptedException {
        var ran = new CountDownLatch(1);
        ClaimLoop<Integer> loop = start(settings(2, false), item -> ran.countDown());
        sleep(100);
        due.add(1);

        assertThat(ran.await(500, TimeUnit.MILLISECONDS)).as("not run before the wake").isFalse();
        loop.wake();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStoppingLoopLetsTheItemInProgressSeeItAndFinish() throws InterruptedException {
        due.add(1);
        var begun = new CountDownLatch(1);
        var sawStop = new AtomicBoolean();
        var claimsAfterStop = new AtomicInteger();
        var stopped = new AtomicBoolean();
        var holder = new AtomicReference<ClaimLoop<Integer>>();
        holder.set(new ClaimLoop<>(settings(2, false), new Work(item -> {
            begun.countDown();
            while (holder.get().isRunning()) {
                sleep(5);
            }
            sawStop.set(true);
        }) {
            @Override
            public List<Integer> claim(int limit) {
                if (stopped.get()) {
                    claimsAfterStop.incrementAndGet();
                }
                return super.claim(limit);
            }
        }));
        started.add(holder.get());
        holder.get().start();
        assertThat(begun.await(10, TimeUnit.SECONDS)).isTrue();

        stopped.set(true);
        due.add(2);
        holder.get().stop();

        assertThat(sawStop).as("the item handed its work back before stop returned").isTrue();
        assertThat(claimsAfterStop).as("nothing claimed once stopping").hasValue(0);
        assertThat(due).containsExactly(2);
    }

    @Test
    void aFailedItemFreesItsSlot() throws InterruptedException {
        due.add(1);
        due.add(2);
        var failed = new ConcurrentLinkedQueue<Integer>();
        var ran = new CountDownLatch(1);
        start(settings(1, false), new Work(item -> {
            if (item == 1) {
                throw new IllegalStateException("boom");
            }
            ran.countDown();
        }) {
            @Override
            public void failed(Integer item, RuntimeException e) {
                failed.add(item);
            }
        });

        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the second item had the only slot after the first failed")
                .isTrue();
        assertThat(failed).containsExactly(1);
    }

    @Test
    void aDrainingLoopTakesABacklogInBatchesOfHalfItsSlots() throws InterruptedException {
        var held = holdEight();
        start(settings(4, true), held.work());
        held.awaitStarted(4);

        held.release(0);
        sleep(300);
        assertThat(held.started()).as("one free slot of four is not enough while the backlog lasts").hasValue(4);
        held.release(1);
        held.awaitStarted(6);
    }

    @Test
    void aLoopThatDoesNotDrainClaimsForEveryFreeSlot() throws InterruptedException {
        var held = holdEight();
        start(settings(4, false), held.work());
        held.awaitStarted(4);

        held.release(0);
        held.awaitStarted(5);
    }

    /** Eight due items, each running until the test releases it (or the test ends). */
    private Held holdEight() {
        var held = new Held(new CountDownLatch[8], new AtomicInteger());
        for (int i = 0; i < held.gates().length; i++) {
            held.gates()[i] = new CountDownLatch(1);
            gates.add(held.gates()[i]);
            due.add(i);
        }
        return held;
    }

    private final class Held {
        private final CountDownLatch[] gates;
        private final AtomicInteger started;

        Held(CountDownLatch[] gates, AtomicInteger started) {
            this.gates = gates;
            this.started = started;
        }

        CountDownLatch[] gates() {
            return gates;
        }

        Work work() {
            return new Work(item -> {
                started.incrementAndGet();
                await(gates[item]);
            });
        }

        AtomicInteger started() {
            return started;
        }

        void release(int item) {
            gates[item].countDown();
        }

        void awaitStarted(int count) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (started.get() < count && System.nanoTime() < until) {
                sleep(5);
            }
            assertThat(started).hasValue(count);
        }
    }

    private ClaimLoop<Integer> start(ClaimLoop.Settings settings, Consumer<Integer> body) {
        return start(settings, new Work(body));
    }

    private ClaimLoop<Integer> start(ClaimLoop.Settings settings, Work work) {
        var loop = new ClaimLoop<>(settings, work);
        started.add(loop);
        loop.start();
        return loop;
    }

    private static ClaimLoop.Settings settings(int concurrency, boolean drainBacklog) {
        return new ClaimLoop.Settings("test-loop", "test-item-", concurrency, NO_POLL, Duration.ofSeconds(5),
                drainBacklog);
    }

    private class Work implements ClaimLoop.Work<Integer> {

        private final Consumer<Integer> body;

        Work(Consumer<Integer> body) {
            this.body = body;
        }

        @Override
        public List<Integer> claim(int limit) {
            List<Integer> claimed = new ArrayList<>();
            for (Integer item = null; claimed.size() < limit && (item = due.poll()) != null; ) {
                claimed.add(item);
            }
            return claimed;
        }

        @Override
        public void run(Integer item) {
            body.accept(item);
        }

        @Override
        public void failed(Integer item, RuntimeException e) {
            throw new AssertionError("item " + item + " failed", e);
        }

        @Override
        public void claimFailed(RuntimeException e) {
            throw new AssertionError("claim failed", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
