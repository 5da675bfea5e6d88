package io.plugboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What the numbers were taken on, and how busy it was: benchmarks here share two cores with other builds. */
final class Machine {

    private Machine() {
    }

    /** The 1-, 5- and 15-minute load averages, e.g. {@code 3.12 2.80 2.41}. */
    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(parts, 3));
        } catch (IOException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return String.format(Locale.ROOT, "%.2f", one);
        }
    }

    static String describe() {
        Runtime runtime = Runtime.getRuntime();
        return String.join("\n", List.of(
                "- CPUs: " + runtime.availableProcessors() + " (nproc), " + cpuModel(),
                "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "- JDK: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                "- JVM: max heap " + runtime.maxMemory() / (1024 * 1024) + " MB, GC "
                        + ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList(),
                "- Memory: " + memTotal(),
                "- Load average (1/5/15 min) when the report was written: " + load()));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static Path reportFile(String name) throws IOException {
        Path dir = Path.of("target", "benchmarks");
        Files.createDirectories(dir);
        return dir.resolve(name);
    }
}
