package dev.ferrite.lab.proxy;

import dev.ferrite.lab.process.CpuTicks;
import java.nio.file.Path;

/**
 * The CPU time the stand-in's writes take, averaged over the last ones: the writer thread's
 * own and that of the {@code nft} processes it runs, read from {@code /proc/thread-self/stat}
 * (the thread's user and system time, and the process's ended children's). CPU time rather
 * than the clock, so that a busy machine does not make the writes look longer than they are.
 * The kernel counts in ticks of 10 ms, coarser than one write; the average evens that out.
 */
final class WriteCost {

    private static final Path STAT = Path.of("/proc/thread-self/stat");
    private static final double MILLIS_PER_TICK = 1000.0 / CpuTicks.PER_SECOND;
    /** The newest write's weight in the average. */
    private static final double WEIGHT = 0.25;

    private double averageMillis;
    private long startTicks;

    /** Called by the writer thread before a write. */
    void begin() {
        startTicks = ticks();
    }

    /** Called by the same thread after the write. */
    void end() {
        averageMillis += WEIGHT * ((ticks() - startTicks) * MILLIS_PER_TICK - averageMillis);
    }

    double averageMillis() {
        return averageMillis;
    }

    /** This thread's user and system ticks plus those of the process's ended children; 0 when unreadable. */
    private static long ticks() {
        return CpuTicks.read(STAT).map(t -> t.own() + t.children()).orElse(0L);
    }
}
