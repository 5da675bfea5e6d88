package io.plugboard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void exactMillisecondsBelowTenThenSixteenBucketsPerDecadeAndOneOpenBucket() {
        assertThat(LatencyHistogram.buckets()).isEqualTo(10 + 4 * 16 + 1);
        for (int ms = 0; ms < 10; ms++) {
            assertThat(LatencyHistogram.bucketOf(ms)).isEqualTo(ms);
        }
        assertThat(LatencyHistogram.bucketOf(10)).isEqualTo(10);
        assertThat(LatencyHistogram.bucketOf(11)).isEqualTo(10);
        assertThat(LatencyHistogram.bucketOf(12)).isEqualTo(11);
        assertThat(LatencyHistogram.lowerBound(LatencyHistogram.bucketOf(2_600))).isEqualTo(2_500);
        assertThat(LatencyHistogram.bucketOf(99_999)).isEqualTo(LatencyHistogram.buckets() - 2);
        assertThat(LatencyHistogram.bucketOf(100_000)).isEqualTo(LatencyHistogram.buckets() - 1);
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.buckets() - 1);
        assertThat(LatencyHistogram.bucketOf(-5)).as("never below the first").isZero();
        for (int b = 10; b < LatencyHistogram.buckets() - 1; b++) {
            int low = LatencyHistogram.lowerBound(b);
            int width = LatencyHistogram.lowerBound(b + 1) - low;
            assertThat(width).as("bucket from %d ms", low).isPositive().isLessThanOrEqualTo(low / 4);
        }
    }

    @Test
    void nothingCountedHasNoPercentile() {
        assertThat(LatencyHistogram.percentile(new long[LatencyHistogram.buckets()], 0.95)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void belowTenMillisecondsThePercentileIsExact() {
        long[] counts = new long[LatencyHistogram.buckets()];
        counts[3] = 90;
        counts[7] = 10;
        assertThat(LatencyHistogram.percentile(counts, 0.90)).hasValue(3);
        assertThat(LatencyHistogram.percentile(counts, 0.91)).hasValue(7);
        assertThat(LatencyHistogram.percentile(counts, 1.0)).hasValue(7);
    }

    @Test
    void aboveTheEstimateIsInTheTruePercentilesBucketAndWithinAQuarterOfIt() {
        var random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(5_000);
            long[] latencies = new long[n];
            long[] counts = new long[LatencyHistogram.buckets()];
            double median = Math.exp(2 + random.nextDouble() * 7);
            for (int i = 0; i < n; i++) {
                latencies[i] = Math.round(median * Math.exp(random.nextGaussian()));
                counts[LatencyHistogram.bucketOf(latencies[i])]++;
            }
            Arrays.sort(latencies);
            for (double p : new double[] {0.5, 0.95, 0.99}) {
                long exact = latencies[(int) Math.ceil(p * n) - 1];
                long estimate = LatencyHistogram.percentile(counts, p).orElseThrow();
                assertThat(LatencyHistogram.bucketOf(estimate)).as("p%s of %d calls", p, n)
                        .isEqualTo(LatencyHistogram.bucketOf(exact));
                if (exact < 100_000) {
                    assertThat((double) Math.abs(estimate - exact)).as("p%s: %d vs exact %d", p, estimate, exact)
                            .isLessThanOrEqualTo(Math.max(0, exact * 0.25));
                }
            }
        }
    }
}
