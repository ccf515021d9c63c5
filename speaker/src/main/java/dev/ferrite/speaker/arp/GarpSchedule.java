package dev.ferrite.speaker.arp;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When an announcer repeats its gratuitous ARP / unsolicited Neighbor Advertisement for an
 * IP it has just gained.
 *
 * <p>The first burst goes out at once: on Linux a gratuitous ARP in either of our two forms
 * updates an existing neighbour entry immediately, even inside {@code locktime}, so the
 * first frame is what ends an outage. The repeats cover a lost frame, a switch that had not
 * yet moved its MAC table entry and a host that was busy; they stop after a second so a
 * flapping IP does not flood the segment. {@code refresh}, off by default, re-announces
 * every owned IP periodically for switches that age MAC entries out faster than traffic
 * refreshes them.
 */
public record GarpSchedule(List<Duration> bursts, Optional<Duration> refresh) {

    /** At 0, 50, 200, 500 and 1000 ms after gaining an IP; no periodic refresh. */
    public static final GarpSchedule DEFAULT = new GarpSchedule(
            List.of(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(500),
                    Duration.ofMillis(1000)),
            Optional.empty());

    public GarpSchedule {
        bursts = List.copyOf(bursts);
        Duration previous = Duration.ZERO;
        for (Duration d : bursts) {
            if (d.isNegative() || d.compareTo(previous) < 0) {
                throw new IllegalArgumentException("GARP bursts must be non-negative and ascending: " + bursts);
            }
            previous = d;
        }
        if (refresh.isPresent() && (refresh.get().isZero() || refresh.get().isNegative())) {
            throw new IllegalArgumentException("GARP refresh period must be positive: " + refresh.get());
        }
    }

    /** The default bursts with a periodic refresh every {@code period}. */
    public GarpSchedule withRefresh(Duration period) {
        return new GarpSchedule(bursts, Optional.of(period));
    }
}
