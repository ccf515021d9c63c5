package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.handoff.HandoffCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The neighbours the kernel of this network namespace is still resolving or gave up on:
 * what {@code ip neigh show nud incomplete nud failed} lists. After a link outage these are
 * the hosts the node tried to reach meanwhile (its clients, the other nodes), and every packet
 * to them waits for the kernel's next retry, up to a second later.
 */
public final class KernelNeighbours {

    private static final Logger log = LoggerFactory.getLogger(KernelNeighbours.class);
    private static final List<String> SHOW = List.of("neigh", "show", "nud", "incomplete", "nud", "failed");

    private KernelNeighbours() {
    }

    /** Runs {@code ip} through {@code commands}; empty (logged) when it cannot be run or fails. */
    public static List<IpAddress> unresolved(HandoffCommands commands) {
        HandoffCommands.Result r = commands.ip(SHOW);
        if (!r.ok()) {
            log.warn("'ip {}' failed ({}): {}", String.join(" ", SHOW), r.exit(), r.output());
            return List.of();
        }
        return parse(r.output());
    }

    /** The address at the start of each line of {@code ip neigh show}; lines that do not start with one are skipped. */
    static List<IpAddress> parse(String output) {
        List<IpAddress> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String first = line.strip().split("\\s+", 2)[0];
            Optional<IpAddress> ip = first.isEmpty() ? Optional.empty() : IpAddress.parse(first);
            ip.ifPresent(out::add);
        }
        return out;
    }
}
