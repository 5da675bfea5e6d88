package io.plugboard.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs wrk (the load generator the proxy's targets are stated in) against one URL and reads its summary and
 * latency percentiles from a {@code done()} script: 0.1 %-steps up to p99, then 0.01 %-steps, so that rounds
 * merge into one distribution ({@link Latencies}).
 */
final class Wrk {

    static final String INSTALL_HINT = "wrk is not installed, so the benchmark's own socket client drives all three "
            + "targets; on Debian/Ubuntu: apt-get install -y wrk (or -Dbench.wrk=/path/to/wrk)";
    private static final String SCRIPT = """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRK-SUMMARY %d %d %d %d\\n", summary.requests, summary.duration, e.status,
                e.connect + e.read + e.write + e.timeout))
              for i = 1, 990 do io.write(string.format("WRK-P %d %d\\n", i * 10, latency:percentile(i / 10))) end
              for i = 9901, 9999 do io.write(string.format("WRK-P %d %d\\n", i, latency:percentile(i / 100))) end
              io.write(string.format("WRK-P 10000 %d\\n", latency.max))
            end
            """;

    private final Path binary;
    private final int threads;
    private final Path script;

    Wrk(Path binary, int threads) throws IOException {
        this.binary = binary;
        this.threads = threads;
        script = Machine.reportFile("wrk-percentiles.lua");
        Files.writeString(script, SCRIPT);
    }

    /** The wrk binary: {@code -Dbench.wrk}, else the first on the PATH. */
    static Optional<Path> binary() {
        String configured = System.getProperty("bench.wrk");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "wrk")).filter(Files::isExecutable).findFirst();
    }

    LoadRun run(int port, String pathAndQuery, Map<String, String> headers, int connections, Duration duration)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-t", String.valueOf(Math.min(threads, connections)),
                "-c", String.valueOf(connections), "-d", duration.toSeconds() + "s", "--timeout", "5s", "-s", script.toString()));
        headers.forEach((name, value) -> command.addAll(List.of("-H", name + ": " + value)));
        command.add("http://127.0.0.1:" + port + pathAndQuery);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        long requests = -1;
        double seconds = 0;
        long failures = 0;
        var latencies = new Latencies();
        long previousStep = 0;
        var steps = new ArrayList<long[]>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("WRK-SUMMARY")) {
                requests = Long.parseLong(f[1]);
                seconds = Long.parseLong(f[2]) / 1e6;
                failures = Long.parseLong(f[3]) + Long.parseLong(f[4]);
            } else if (f[0].equals("WRK-P")) {
                steps.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        if (requests < 0) {
            throw new IllegalStateException("wrk printed no summary: " + output);
        }
        // Step s (in 0.01 %) stands for the requests between the previous step and it.
        for (long[] step : steps) {
            latencies.add(step[1], requests * (step[0] - previousStep) / 10_000.0);
            previousStep = step[0];
        }
        return new LoadRun(requests, seconds, failures, latencies);
    }
}
