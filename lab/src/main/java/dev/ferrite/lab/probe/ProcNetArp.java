package dev.ferrite.lab.probe;

import java.util.Optional;

/**
 * Reads the IPv4 neighbour table as the kernel prints it in {@code /proc/net/arp} (per
 * network namespace: the probe reads its own client's table), so each probe can record
 * which MAC the client's traffic went to without running a command.
 */
public final class ProcNetArp {

    private static final String INCOMPLETE = "0x0";

    private ProcNetArp() {
    }

    /**
     * The MAC held for {@code ip}, if the entry is resolved. Lines look like
     * {@code 198.18.0.200  0x1  0x2  02:00:c6:12:00:0b  *  eth0}.
     */
    public static Optional<String> macOf(String table, String ip) {
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].equals(ip) && !f[2].equals(INCOMPLETE)) {
                return Optional.of(f[3]);
            }
        }
        return Optional.empty();
    }
}
