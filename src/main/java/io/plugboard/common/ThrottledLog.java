package io.plugboard.common;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warning that may happen thousands of times a second (every request while the database is down) logged once
 * per interval and kind, with how many times it happened and the latest reason, never a stack trace: the first
 * occurrence is logged at once, the others are counted into the next line. The count of an interval that ends
 * quietly (the outage is over) is logged by {@link #flush()}, which a scheduled task calls.
 */
public final class ThrottledLog {

    private final Logger log;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public ThrottledLog(Class<?> owner, Duration interval) {
        this.log = LoggerFactory.getLogger(owner);
        this.intervalNanos = interval.toNanos();
    }

    private static final class Window {
        final LongAdder count = new LongAdder();
        final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
        volatile String reason = "";
    }

    /**
     * Counts one occurrence.
     *
     * @param kind   what failed, such as "API requests answered 503"
     * @param reason why, in one line
     */
    public void warn(String kind, String reason) {
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        window.reason = reason;
        window.count.increment();
        long now = System.nanoTime();
        long next = window.nextNanos.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && window.nextNanos.compareAndSet(next, now + intervalNanos)) {
            write(kind, window);
        }
    }

    /** Logs what was counted in the intervals that are over, so the last count of an outage is not left unsaid. */
    public void flush() {
        long now = System.nanoTime();
        windows.forEach((kind, window) -> {
            long next = window.nextNanos.get();
            if (window.count.sum() > 0 && now - next >= 0 && window.nextNanos.compareAndSet(next, now + intervalNanos)) {
                write(kind, window);
            }
        });
    }

    /** Occurrences counted and not logged yet (for tests). */
    long pending(String kind) {
        Window window = windows.get(kind);
        return window == null ? 0 : window.count.sum();
    }

    private void write(String kind, Window window) {
        long count = window.count.sumThenReset();
        if (count > 0) {
            log.warn("{}: {} in the last {} s (latest: {})", kind, count, intervalNanos / 1_000_000_000L, window.reason);
        }
    }
}
