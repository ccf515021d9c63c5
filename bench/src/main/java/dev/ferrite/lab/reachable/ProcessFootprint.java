package dev.ferrite.lab.reachable;

import dev.ferrite.lab.process.CpuTicks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resident memory and CPU time of one process, read from {@code /proc}: what {@code top}
 * shows, and what a container's memory limit is compared against (anonymous and file pages
 * together).
 *
 * @param rssKb    {@code VmRSS} of {@code /proc/PID/status}
 * @param cpuTicks user plus system time from {@code /proc/PID/stat}, in clock ticks (100 per second)
 * @param childCpuTicks the same for its children that have ended (a kube-proxy stand-in's {@code nft} runs)
 * @param threads  {@code Threads} of {@code /proc/PID/status}
 */
public record ProcessFootprint(long rssKb, long cpuTicks, long childCpuTicks, int threads) {

    public static Optional<ProcessFootprint> of(long pid) {
        try {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            Optional<CpuTicks> cpu = CpuTicks.read(Path.of("/proc", Long.toString(pid), "stat"));
            if (rss < 0 || cpu.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ProcessFootprint(rss, cpu.get().own(), cpu.get().children(), threads));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** CPU seconds the process and its ended children used between two readings. */
    public static double cpuSeconds(ProcessFootprint before, ProcessFootprint after) {
        return (double) (after.cpuTicks + after.childCpuTicks - before.cpuTicks - before.childCpuTicks) / CpuTicks.PER_SECOND;
    }

    /** Share of one core the process and its ended children used between two readings {@code seconds} apart, in percent. */
    public static double cpuPercent(ProcessFootprint before, ProcessFootprint after, double seconds) {
        return 100.0 * cpuSeconds(before, after) / seconds;
    }
}
