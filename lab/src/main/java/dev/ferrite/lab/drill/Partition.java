package dev.ferrite.lab.drill;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.IpCommand;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code partition} fault: the nodes split into two groups that cannot reach each other,
 * while every link stays up and the client still reaches both groups, so if both sides
 * announce a VIP the client sees two MACs answering for it.
 *
 * <p>Mechanism: in each node's namespace, blackhole routes (/32 and /128) to the addresses
 * of the nodes in the other group. Unicast IP between the groups (membership traffic) is
 * dropped in both directions; ARP, the client and the control plane are untouched. Healing
 * deletes exactly those routes.
 */
public final class Partition implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    private final IpCommand ip;
    private final List<String[]> routes = new ArrayList<>();

    private Partition(IpCommand ip) {
        this.ip = ip;
    }

    /** Splits {@code nodes} into {@code side} and the rest; {@code side} must be a proper, non-empty subset. */
    public static Partition split(IpCommand ip, List<Host> nodes, List<Host> side) {
        if (side.isEmpty() || side.size() >= nodes.size()) {
            throw new IllegalArgumentException("partition side of " + side.size() + " nodes out of " + nodes.size()
                    + ": needs at least one node on each side");
        }
        Partition p = new Partition(ip);
        try {
            for (Host a : nodes) {
                for (Host b : nodes) {
                    if (side.contains(a) != side.contains(b)) {
                        p.blackhole(a, b.ipv4(), 32);
                        p.blackhole(a, b.ipv6(), 128);
                    }
                }
            }
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        LOG.info("nodes partitioned: {} | {}", names(side), names(nodes.stream().filter(n -> !side.contains(n)).toList()));
        return p;
    }

    private void blackhole(Host in, IpAddress to, int bits) {
        String[] route = {in.namespace(), to + "/" + bits};
        Command.of(ip.path(), "-n", route[0], "route", "add", "blackhole", route[1]).runOrThrow();
        routes.add(route);
    }

    /** Heals the partition: removes every route it added (failures are logged, the rest still goes). */
    @Override
    public void close() {
        for (String[] r : routes) {
            var result = Command.of(ip.path(), "-n", r[0], "route", "del", "blackhole", r[1]).run();
            if (!result.succeeded()) {
                LOG.warn("healing partition: route {} in {} not removed: {}", r[1], r[0], result.stderr().strip());
            }
        }
        if (!routes.isEmpty()) {
            LOG.info("partition healed ({} routes removed)", routes.size());
        }
        routes.clear();
    }

    private static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }
}
