package dev.ferry.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The usual {@code process_} basics, the cheap ones only: CPU time (from the JVM, no file read) and resident memory
 * ({@code VmRSS} of {@code /proc/self/status}, left out where there is none). No JVM pool or GC families: they would
 * double the output for what {@code ferry status} and the journal already tell an operator.
 */
final class ProcessMetrics {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMetrics() {
    }

    static void addTo(MetricSnapshots.Builder out) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
            Family.counter("process_cpu_seconds", "User and system CPU time spent, in seconds.")
                    .add(sun.getProcessCpuTime() / 1e9)
                    .addTo(out);
        }
        long rss = residentBytes();
        if (rss >= 0) {
            Family.gauge("process_resident_memory_bytes", "Resident memory size in bytes.").add(rss).addTo(out);
        }
    }

    /** Resident bytes from the line {@code VmRSS:  123456 kB} of {@code /proc/self/status}, or -1. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String kib = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kib) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
