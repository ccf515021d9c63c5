package dev.ferrite.lab.proxy;

import java.io.IOException;
import java.nio.file.Files;
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
    private static final double MILLIS_PER_TICK = 10;
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
        try {
            String stat = Files.readString(STAT);
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
