package io.plugboard.bench;

import java.util.Arrays;
import java.util.Locale;

/** Wall-clock samples of one operation, in nanoseconds; nearest-rank percentiles. */
final class Samples {

    private final long[] nanos;
    private int size;

    Samples(int capacity) {
        nanos = new long[capacity];
    }

    void add(long value) {
        nanos[size++] = value;
    }

    int size() {
        return size;
    }

    double percentileMillis(double p) {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double maxMillis() {
        return Arrays.stream(nanos, 0, size).max().orElse(0) / 1e6;
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }
}
