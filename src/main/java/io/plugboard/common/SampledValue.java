package io.plugboard.common;

import java.util.function.DoubleSupplier;

/**
 * A gauge's value read from the database at most once per interval: every instance and every scraper asking
 * at once then costs one query, not one each.
 */
public final class SampledValue implements DoubleSupplier {

    private static final ThrottledLog failures = new ThrottledLog(SampledValue.class, java.time.Duration.ofMinutes(1));

    private final String name;
    private final DoubleSupplier source;
    private final long intervalNanos;
    private volatile double value = Double.NaN;
    private volatile long readAt;
    private volatile boolean read;

    /** @param name the gauge's name, for the warning when its value cannot be read */
    public SampledValue(String name, DoubleSupplier source, java.time.Duration interval) {
        this.name = name;
        this.source = source;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public synchronized double getAsDouble() {
        long now = System.nanoTime();
        if (!read || now - readAt >= intervalNanos) {
            try {
                value = source.getAsDouble();
            } catch (RuntimeException e) {
                // The database is unreachable: the gauge shows no value rather than failing the whole scrape.
                failures.warn("metric " + name + " could not be read", String.valueOf(e));
                value = Double.NaN;
            }
            readAt = now;
            read = true;
        }
        return value;
    }
}
