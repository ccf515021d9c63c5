package dev.ferrite.lab.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process identified by PID and kernel start time (clock ticks since boot, field 22 of
 * {@code /proc/PID/stat}). The start time makes a recycled PID distinguishable from the
 * process that wrote an ownership marker.
 */
public record LabOwner(long pid, long startTicks) {

    public static LabOwner self() {
        long pid = ProcessHandle.current().pid();
        return new LabOwner(pid, startTicksOf(pid).orElse(0L));
    }

    /** Whether this very process (same PID and same start time) is still running. */
    public boolean isAlive() {
        return startTicksOf(pid).map(t -> t == startTicks).orElse(false);
    }

    public static Optional<Long> startTicksOf(long pid) {
        try {
            return Optional.of(startTicksFromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Field 22 of a {@code /proc/PID/stat} line; the command name in parentheses may hold spaces. */
    public static long startTicksFromStat(String stat) {
        String afterName = stat.substring(stat.lastIndexOf(')') + 2);
        String[] fields = afterName.trim().split("\\s+");
        // afterName starts at field 3 (state), so field 22 is index 19
        return Long.parseLong(fields[19]);
    }
}
