package dev.ferrite.speaker.arp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How an IP is probed before its first announcement: {@code probes} ARP probes (sender IP
 * 0.0.0.0) or duplicate address detection solicitations (from ::, to the solicited-node group),
 * {@code gap} apart, and an answer counted until {@code answerWithin} after the first one.
 *
 * <p>RFC 5227 waits up to 1 s before the first probe, sends three 1–2 s apart and waits 2 s
 * more: 3–9 s before a host may use an address, right for a laptop joining a LAN, too slow for
 * a new LoadBalancer Service. What the wait has to cover is one ARP round trip on one L2
 * segment: the kernel of a host that holds the address answers a probe from its softirq, in
 * well under a millisecond (0.3–0.9 ms send-to-neighbour-update measured on this kind of
 * machine), and even a loaded virtual machine answers within tens of milliseconds. So the
 * default is 3 probes 50 ms apart (two may be lost) and 250 ms for the answer, 150 ms after the
 * last probe: a new Service's IP is announced 250 ms later than without probing, and a failover
 * never waits, because an IP a cluster member announced a moment ago is not probed (see
 * {@code ownership.ProbeGate}). A host that does not answer within that time is caught later
 * by the periodic probing of announced IPs ({@link ConflictProbes}, {@link ClaimWatch}) as a
 * foreign claim.
 */
public record ProbeTiming(int probes, Duration gap, Duration answerWithin) {

    public static final ProbeTiming DEFAULT = new ProbeTiming(3, Duration.ofMillis(50), Duration.ofMillis(250));

    public ProbeTiming {
        if (probes < 1 || gap.isNegative() || answerWithin.compareTo(gap.multipliedBy(probes - 1)) < 0) {
            throw new IllegalArgumentException("probe timing needs at least one probe and a wait covering every probe: "
                    + probes + " probes " + gap.toMillis() + " ms apart, wait " + answerWithin.toMillis() + " ms");
        }
    }

    /** When each probe goes out, from the start of probing. */
    public List<Duration> sendAt() {
        List<Duration> at = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            at.add(gap.multipliedBy(i));
        }
        return at;
    }
}
