package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which announced IPs get their periodic conflict probe (ARP probe, DAD) in a span of time. A
 * host that took an announced address answers the probe to us, where its answers to clients,
 * unicast, never reach us.
 *
 * <p>Every IP is probed once per period, at its own phase in the period ({@link GarpRefresh}'s
 * spreading), so that with periods longer than the announcer's tick the probes of one tick are
 * a fraction of the IPs rather than all of them. The period is a second
 * while a node announces up to {@value #RATE} IPs, and grows with their number beyond that,
 * up to {@link #MAX_PERIOD}: probes are broadcasts that every host of the segment receives,
 * and 1,000 Services probed every second were 1,000 broadcasts a second on the LAN, each
 * captured and decoded by every speaker. A foreign claim is kept reported for 10 s after its
 * last frame, two of the longest periods. Pure: the caller passes the times.
 */
public final class ConflictProbes {

    /** The period of a node announcing few IPs. */
    public static final Duration PERIOD = Duration.ofSeconds(1);
    /** The longest period, whatever the number of IPs. */
    public static final Duration MAX_PERIOD = Duration.ofSeconds(5);
    /** Probes a second one node sends at most, unless that would stretch the period beyond {@link #MAX_PERIOD}. */
    public static final int RATE = 50;
    /**
     * How often the announcer asks which IPs are due while no gratuitous refresh is on (then it
     * asks every {@link GarpRefresh#TICK}): each tick wakes a speaker at rest, and a period of
     * at least a second needs no finer steps. Each IP is still probed once per period; the
     * probes due in a second go out together (67 from a node announcing 333 IPs, 16 µs of the
     * wire at 1 Gb/s), where a tick every 250 ms cost the speaker about 0.07 % of a core more at
     * rest (docs/benchmarks.md).
     */
    public static final Duration TICK = Duration.ofSeconds(1);

    private ConflictProbes() {
    }

    /** The probe period of a node announcing {@code announced} IPs. */
    public static Duration period(int announced) {
        long millis = (long) Math.ceil(announced * 1000.0 / RATE);
        return Duration.ofMillis(Math.max(PERIOD.toMillis(), Math.min(MAX_PERIOD.toMillis(), millis)));
    }

    /** The IPs of {@code announced} whose probe instant is in {@code (fromMillis, toMillis]}. */
    public static List<IpAddress> due(Collection<IpAddress> announced, long fromMillis, long toMillis) {
        return GarpRefresh.due(announced, Map.of(), Optional.of(period(announced.size())), fromMillis, toMillis);
    }
}
