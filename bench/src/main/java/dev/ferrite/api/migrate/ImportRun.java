package dev.ferrite.api.migrate;

import dev.ferrite.bench.PeriodicThread;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * The child JVM of the import benchmark: runs {@code ferrite import-metallb} exactly as the
 * command line does, then writes what this JVM saw of it to the file named by the first
 * argument, one line of {@code key=value}: exit code, time inside the command, the peak of
 * the heap in use (sampled every 5 ms, so a peak between two samples is missed), garbage
 * collections and their time, and the process's peak resident memory ({@code VmHWM}).
 */
public final class ImportRun {

    private ImportRun() {
    }

    public static void main(String[] args) throws IOException {
        Path report = Path.of(args[0]);
        String[] command = java.util.Arrays.copyOfRange(args, 1, args.length);
        AtomicLong heapPeak = new AtomicLong();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Thread sampler = PeriodicThread.start("heap-sampler", 5,
                () -> heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max));
        long start = System.nanoTime();
        int exit = new CommandLine(new ImportMetallbCommand()).execute(command);
        long nanos = System.nanoTime() - start;
        sampler.interrupt();
        heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        Files.writeString(report, "exit=" + exit + " command_ms=" + nanos / 1_000_000 + " heap_peak_bytes=" + heapPeak.get()
                + " heap_max_bytes=" + Runtime.getRuntime().maxMemory() + " gc_count=" + gcCount + " gc_ms=" + gcMillis
                + " vm_hwm_kb=" + statusKb("VmHWM:") + "\n");
        System.exit(exit);
    }

    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
