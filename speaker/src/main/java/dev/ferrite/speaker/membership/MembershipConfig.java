package dev.ferrite.speaker.membership;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one speaker's membership endpoint. The defaults meet the targets: a crashed
 * process is seen through its closed connections and port within a few round trips, or
 * through its closed port at the next heartbeat (≤ 300 ms); a silent member is suspected
 * after {@code suspicionTimeout} without heartbeats and declared dead {@code confirmTimeout}
 * later unless it refutes (≤ 1 s in total); a 200 ms pause is one missed heartbeat of the
 * three a suspicion needs. Heartbeats every 200 ms rather than 100 halve the membership's
 * share of a speaker's CPU at rest, which is most of it (docs/benchmarks.md).
 *
 * @param advertiseAddress the address peers use to reach this member (bind address unless it is a wildcard)
 * @param monitors         ring successors each member heartbeats (and predecessors it watches)
 * @param gossipFanout     random members news is pushed to at once
 * @param syncInterval     how often a member exchanges state with one member or seed (anti-entropy, healing)
 * @param tombstoneTimeout how long a dead member is remembered, so stale claims cannot resurrect it
 */
public record MembershipConfig(String nodeName, InetSocketAddress bindAddress, InetSocketAddress advertiseAddress,
                                                             MembershipSecret secret, Duration probeInterval, Duration suspicionTimeout,
                                                             Duration confirmTimeout, int monitors, int gossipFanout, Duration syncInterval,
                                                             Duration tombstoneTimeout) {
    public static final int DEFAULT_PORT = 7946;

    public MembershipConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertiseAddress, "advertiseAddress");
        Objects.requireNonNull(secret, "secret");
    }

    /** Defaults for a member advertised at the address it binds. */
    public static MembershipConfig defaults(String nodeName, InetSocketAddress address, MembershipSecret secret) {
        return new MembershipConfig(nodeName, address, address, secret, Duration.ofMillis(200), Duration.ofMillis(600),
                Duration.ofMillis(200), 3, 3, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    /** These settings with another heartbeat interval and suspicion timeout. */
    public MembershipConfig withTimings(Duration probeInterval, Duration suspicionTimeout) {
        return new MembershipConfig(nodeName, bindAddress, advertiseAddress, secret, probeInterval, suspicionTimeout,
                confirmTimeout, monitors, gossipFanout, syncInterval, tombstoneTimeout);
    }

    /** Problems with values an operator can set, each naming the field and value; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (nodeName.isBlank() || nodeName.length() > 253) {
            p.add("membership nodeName '" + nodeName + "' must be 1 to 253 characters");
        }
        if (advertiseAddress.isUnresolved() || advertiseAddress.getAddress().isAnyLocalAddress()) {
            p.add("membership advertiseAddress " + advertiseAddress + " must be a concrete address peers can reach");
        }
        if (probeInterval.toMillis() < 10) {
            p.add("membership probeInterval " + probeInterval.toMillis() + "ms must be at least 10ms");
        }
        if (suspicionTimeout.compareTo(probeInterval.multipliedBy(3)) < 0) {
            p.add("membership suspicionTimeout " + suspicionTimeout.toMillis() + "ms must be at least three probe"
                    + " intervals (" + probeInterval.multipliedBy(3).toMillis() + "ms)");
        }
        if (confirmTimeout.isNegative()) {
            p.add("membership confirmTimeout " + confirmTimeout.toMillis() + "ms must not be negative");
        }
        if (monitors < 1 || gossipFanout < 1) {
            p.add("membership monitors " + monitors + " and gossipFanout " + gossipFanout + " must be at least 1");
        }
        return p;
    }

    MemberTable.Timing timing() {
        return new MemberTable.Timing(suspicionTimeout.toMillis(), confirmTimeout.toMillis(), tombstoneTimeout.toMillis(),
                monitors, 3);
    }
}
