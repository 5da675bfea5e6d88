package io.plugboard.bench;

import java.util.List;
import java.util.Locale;

/** What one load generator measured against one target: requests, time, answers other than 200, latencies. */
record LoadRun(long requests, double seconds, long failures, Latencies latencies) {

    static LoadRun merge(List<LoadRun> runs) {
        var latencies = new Latencies();
        runs.forEach(r -> latencies.addAll(r.latencies()));
        return new LoadRun(runs.stream().mapToLong(LoadRun::requests).sum(), runs.stream().mapToDouble(LoadRun::seconds).sum(),
                runs.stream().mapToLong(LoadRun::failures).sum(), latencies);
    }

    double perSecond() {
        return requests / seconds;
    }

    double p(double percentile) {
        return latencies.percentileMillis(percentile);
    }

    String row(String name) {
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %s | %s | %s | %s | %s |", name, requests, perSecond(),
                Latencies.ms(p(50)), Latencies.ms(p(90)), Latencies.ms(p(99)), Latencies.ms(p(99.9)),
                Latencies.ms(latencies.maxMillis()));
    }
}
