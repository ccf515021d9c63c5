package dev.ferrite.speaker.arp.pcap;

import dev.ferrite.speaker.arp.InterfaceDescription;
import dev.ferrite.speaker.arp.InterfaceSelection;
import dev.ferrite.speaker.arp.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the interfaces of this network namespace from /sys/class/net. Kept thin: every
 * decision about them is in {@link InterfaceSelection}. Inside {@code ip netns exec} sysfs is
 * remounted for the namespace, so a speaker there sees its own interfaces.
 */
public final class SysfsInterfaces {

    public static final Path DEFAULT_ROOT = Path.of("/sys/class/net");
    private static final int IFF_UP = 0x1;
    private static final int IFF_BROADCAST = 0x2;
    private static final int IFF_LOOPBACK = 0x8;
    private static final int ARPHRD_ETHER = 1;

    private SysfsInterfaces() {
    }

    public static List<InterfaceDescription> read() throws IOException {
        return read(DEFAULT_ROOT);
    }

    public static List<InterfaceDescription> read(Path root) throws IOException {
        List<InterfaceDescription> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : entries.sorted().toList()) {
                readOne(dir).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Empty when the interface vanished while being read. */
    private static Optional<InterfaceDescription> readOne(Path dir) {
        try {
            String name = dir.getFileName().toString();
            int flags = Integer.decode(text(dir.resolve("flags")));
            int type = Integer.parseInt(text(dir.resolve("type")));
            Optional<MacAddress> mac = Files.exists(dir.resolve("address"))
                    ? MacAddress.parse(text(dir.resolve("address")))
                    : Optional.empty();
            return Optional.of(new InterfaceDescription(name, (flags & IFF_UP) != 0, (flags & IFF_BROADCAST) != 0,
                    (flags & IFF_LOOPBACK) != 0, type == ARPHRD_ETHER, memberOf(dir), mac));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The bridge or bond this interface is a port of. A VRF is also a "master" but its members
     * carry their own traffic, so only bridge ports ({@code brport}) and bond slaves
     * ({@code bonding_slave}) count.
     */
    private static Optional<String> memberOf(Path dir) throws IOException {
        if (!Files.exists(dir.resolve("brport")) && !Files.exists(dir.resolve("bonding_slave"))) {
            return Optional.empty();
        }
        Path master = dir.resolve("master");
        if (Files.isSymbolicLink(master)) {
            return Optional.of(Files.readSymbolicLink(master).getFileName().toString());
        }
        return Optional.of("a bridge or bond");
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
}
