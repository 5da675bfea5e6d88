package io.plugboard.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies at microsecond resolution (wrk's own), each with a weight, so that the rounds of a run merge into
 * one distribution: weighted nearest-rank percentiles over everything recorded. The socket client adds every
 * sample; wrk hands over only its percentiles, so a wrk round is added as its 0.1 %-steps (0.01 % above p99),
 * each weighing the share of the round's requests it stands for.
 */
final class Latencies {

    private final TreeMap<Long, Double> weightByMicros = new TreeMap<>();
    private double weight;

    void add(long micros, double times) {
        weightByMicros.merge(micros, times, Double::sum);
        weight += times;
    }

    void addAll(Latencies other) {
        other.weightByMicros.forEach(this::add);
    }

    double percentileMillis(double p) {
        double rank = p / 100.0 * weight;
        double seen = 0;
        for (Map.Entry<Long, Double> entry : weightByMicros.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank - 1e-9) {
                return entry.getKey() / 1000.0;
            }
        }
        return maxMillis();
    }

    double maxMillis() {
        return weightByMicros.isEmpty() ? 0 : weightByMicros.lastKey() / 1000.0;
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }
}
