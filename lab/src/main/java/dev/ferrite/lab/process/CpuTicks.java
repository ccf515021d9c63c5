package dev.ferrite.lab.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time read from a {@code /proc/PID/stat} or {@code /proc/thread-self/stat} line, in the
 * kernel's clock ticks ({@value #PER_SECOND} a second): the process's (or thread's) own user and
 * system time, and that of the process's ended children (counted when they are reaped).
 */
public record CpuTicks(long own, long children) {

    public static final int PER_SECOND = 100;

    /** Reads {@code stat}; empty when it cannot be read or parsed. */
    public static Optional<CpuTicks> read(Path stat) {
        try {
            return Optional.of(parse(Files.readString(stat)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static CpuTicks parse(String stat) {
        // fields after the command name, which is in parentheses and may hold spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new CpuTicks(Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]));
    }
}
