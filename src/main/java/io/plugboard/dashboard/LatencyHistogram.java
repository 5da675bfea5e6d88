package io.plugboard.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Fixed latency buckets, so that hourly roll-ups can be added together and a percentile read from the sum.
 * Exact milliseconds below 10 ms; above, 16 buckets per decade (10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50,
 * 60, 70, 80, 90 × 10ⁿ) up to 100 s; one open bucket above. No bucket is wider than a quarter of its lower
 * bound, and the estimate and the true percentile lie in the same bucket: below 10 ms the estimate is exact,
 * above it is off by less than 25% of the true value (by a few percent in practice, since the estimate
 * interpolates inside the bucket). The bounds are part of the stored data: changing them needs a migration of
 * {@code proxy_call_stats_hourly}.
 */
final class LatencyHistogram {

    private static final int[] STEPS = {10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90};
    /** Lower bounds in milliseconds: bucket {@code i} holds {@code [LOWER[i], LOWER[i + 1])}; the last is open. */
    private static final int[] LOWER = lowerBounds();

    private LatencyHistogram() {
    }

    private static int[] lowerBounds() {
        List<Integer> bounds = new ArrayList<>();
        for (int ms = 0; ms < 10; ms++) {
            bounds.add(ms);
        }
        for (int scale = 1; scale <= 1000; scale *= 10) {
            for (int step : STEPS) {
                bounds.add(step * scale);
            }
        }
        bounds.add(100_000);
        return bounds.stream().mapToInt(Integer::intValue).toArray();
    }

    static int buckets() {
        return LOWER.length;
    }

    static int lowerBound(int bucket) {
        return LOWER[bucket];
    }

    /**
     * SQL for this histogram's bucket of {@code column}, 1-based: {@code width_bucket} with the lower bounds as an
     * array literal answers {@code bucketOf + 1}. A constant, so statements using it stay the same text.
     */
    static String sqlBucket(String column) {
        return "width_bucket(" + column + ", " + Arrays.stream(LOWER).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "'{", "}'::int[]")) + ")";
    }

    static int bucketOf(long latencyMs) {
        int low = 0;
        int high = LOWER.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (LOWER[mid] <= latencyMs) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /**
     * The {@code p}-th percentile (0 &lt; p ≤ 1, nearest rank) of the latencies counted in {@code counts},
     * interpolated linearly inside its bucket; empty when nothing was counted.
     */
    static OptionalLong percentile(long[] counts, double p) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return OptionalLong.empty();
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long before = 0;
        for (int bucket = 0; bucket < counts.length; bucket++) {
            long count = counts[bucket];
            if (count > 0 && before + count >= rank) {
                long low = LOWER[bucket];
                if (bucket == LOWER.length - 1) {
                    return OptionalLong.of(low);
                }
                // Latencies are whole milliseconds: the bucket holds low .. next - 1.
                long highest = LOWER[bucket + 1] - 1L;
                double within = (double) (rank - before) / count;
                return OptionalLong.of(low + Math.round(within * (highest - low)));
            }
            before += count;
        }
        throw new IllegalStateException("unreachable: the ranks add up to the total");
    }
}
