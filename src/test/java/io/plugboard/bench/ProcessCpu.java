package io.plugboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time used so far by processes, read from {@code /proc} (Linux): the benchmark's own JVM, a process and its
 * children (nginx's master and workers, PostgreSQL's postmaster and backends). Time spent by a process that has
 * already ended is not counted. Zero where {@code /proc} is missing.
 */
final class ProcessCpu {

    /** Linux reports utime and stime in USER_HZ ticks, 100 per second on every architecture it runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    static long jvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The process and every descendant of it. */
    static List<ProcessHandle> tree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).toList();
    }

    /** The first process whose command line contains {@code text} (e.g. a PostgreSQL postmaster's port option). */
    static List<ProcessHandle> treeOfCommandContaining(String text) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
                .findFirst().map(ProcessCpu::tree).orElse(List.of());
    }

    static long nanos(List<ProcessHandle> processes) {
        long ticks = 0;
        for (ProcessHandle process : processes) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
                // Fields after the command name in parentheses (which may hold spaces): utime is the 14th, stime the 15th.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile, or no /proc
            }
        }
        return ticks * NANOS_PER_TICK;
    }
}
