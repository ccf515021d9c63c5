package dev.ferrite.speaker.ownership;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ProbeResult;
import dev.ferrite.speaker.model.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which IPs this node probes before announcing them, and remembers those found in use.
 *
 * <p>The rule: an IP this node gains is announced at once when a member of the cluster (this
 * node included) announced it a moment ago — within {@link #HISTORY} — so a failover, a
 * handover, a failback or a quorum flip never waits for a probe; otherwise it is probed first
 * ({@code Announcer.probe}) and announced only when nobody outside the cluster answered. "A
 * member announced it" is what the election history shows: an IP this node announced, or one
 * another member owned in the plans for at least {@link #OTHER_OWNED_FOR} (that member
 * announced it: an address its probe finds in use is taken off the Service well within that
 * time, so a member's short-lived ownership of a taken address is no history). A speaker that just started has
 * no history: at its first plan it takes every IP the other live members own without it as
 * announced by them. So only IPs new to the cluster are probed: a new Service's, or one no
 * member owned for {@link #HISTORY}.
 *
 * <p>An IP found in use is not announced and is reported ({@link #conflicts}) on the Services
 * that had it when it was probed, whether or not they still have it (the controller moves an
 * auto-assigned Service away and reads the report to keep the address out of allocation). It is
 * probed again every {@link #RECHECK}; when a probe finds it free the record is dropped. A
 * record also goes when none of its Services exists any more.
 *
 * <p>Pure and single-threaded (the ownership loop's thread): times are passed in.
 */
public final class ProbeGate {

    /** How long an IP counts as "announced by the cluster a moment ago" after it last was. */
    public static final Duration HISTORY = Duration.ofMinutes(10);
    /** How often an IP found in use is probed again. */
    public static final Duration RECHECK = Duration.ofSeconds(10);
    /** How long a "free" probe result lets the IP be announced without another probe. */
    static final Duration FREE_VALID = Duration.ofSeconds(10);
    /** How long another member must own an IP in the plans before it counts as announced by the cluster. */
    public static final Duration OTHER_OWNED_FOR = Duration.ofSeconds(3);

    /** What to do with the IPs gained in one recompute. */
    public record Split(Map<IpAddress, Set<String>> announce, Map<IpAddress, Set<String>> probe, Set<IpAddress> held) {
    }

    private record InUse(ProbeResult.InUse found, Set<ServiceKey> services, Set<String> interfaces, Instant since,
            long lastProbeNanos) {
    }

    private final String node;
    /** When each IP was last announced by a member (or owned by another member in a plan). */
    private final Map<IpAddress, Long> knownAt = new HashMap<>();
    private final Map<IpAddress, Long> freeAt = new HashMap<>();
    /** Since when another member has owned each IP, plan after plan. */
    private final Map<IpAddress, Long> otherOwnedSince = new HashMap<>();
    /** IPs being probed, with the Services and interfaces they were probed for. */
    private final Map<IpAddress, Set<ServiceKey>> probing = new HashMap<>();
    private final Map<IpAddress, Set<String>> probingOn = new HashMap<>();
    /** What an IP found free was probed for, while {@link #freeAt} holds it: a late answer still finds its Services. */
    private final Map<IpAddress, Set<ServiceKey>> freeFor = new HashMap<>();
    private final Map<IpAddress, Set<String>> freeOn = new HashMap<>();
    private final SortedMap<IpAddress, InUse> inUse = new TreeMap<>();
    private boolean seeded;

    public ProbeGate(String node) {
        this.node = node;
    }

    /**
     * Once, at the first plan that sees other live members (a speaker joins the membership only
     * after its first plans): the IPs they own without this node, taken as announced by them a
     * moment ago. Later calls do nothing.
     */
    public void seed(Collection<IpAddress> ownedByOthers, long nowNanos) {
        if (seeded) {
            return;
        }
        seeded = true;
        ownedByOthers.forEach(ip -> knownAt.put(ip, nowNanos));
    }

    public boolean seeded() {
        return seeded;
    }

    /**
     * Sorts the IPs this node gains: announce now, probe first, or hold (being probed, or found
     * in use). Call before {@link #remember} with the same plan, so this plan's own decisions do
     * not count as history.
     *
     * @param gained    each gained IP with its requested interfaces
     * @param serviceOf the Services that have each gained IP
     */
    public Split split(Map<IpAddress, Set<String>> gained, Map<IpAddress, Set<ServiceKey>> serviceOf, long nowNanos) {
        Map<IpAddress, Set<String>> announce = new LinkedHashMap<>();
        Map<IpAddress, Set<String>> probe = new LinkedHashMap<>();
        Set<IpAddress> held = new TreeSet<>();
        for (Map.Entry<IpAddress, Set<String>> e : gained.entrySet()) {
            IpAddress ip = e.getKey();
            if (inUse.containsKey(ip) || probing.containsKey(ip)) {
                held.add(ip);
            } else if (recent(knownAt.get(ip), HISTORY, nowNanos) || recent(freeAt.get(ip), FREE_VALID, nowNanos)
                    || ownedByOtherFor(ip, nowNanos)) {
                announce.put(ip, e.getValue());
            } else {
                probe.put(ip, e.getValue());
                probing.put(ip, new TreeSet<>(serviceOf.getOrDefault(ip, Set.of())));
                probingOn.put(ip, Set.copyOf(e.getValue()));
            }
        }
        return new Split(announce, probe, held);
    }

    /**
     * Records the election history after a recompute: the IPs this node announces and the IPs
     * other members own in {@code plan}. Forgets what is older than {@link #HISTORY}.
     */
    public void remember(OwnershipPlan plan, Set<IpAddress> announcedHere, long nowNanos) {
        for (IpAddress ip : announcedHere) {
            knownAt.put(ip, nowNanos);
        }
        Set<IpAddress> others = new HashSet<>();
        for (SortedMap<IpAddress, OwnershipPlan.Decision> ips : plan.byService().values()) {
            ips.forEach((ip, d) -> {
                if (d instanceof OwnershipPlan.Owner o && !o.node().equals(node)) {
                    others.add(ip);
                }
            });
        }
        otherOwnedSince.keySet().retainAll(others);
        for (IpAddress ip : others) {
            otherOwnedSince.putIfAbsent(ip, nowNanos);
            if (ownedByOtherFor(ip, nowNanos)) {
                knownAt.put(ip, nowNanos);
            }
        }
        knownAt.values().removeIf(t -> !recent(t, HISTORY, nowNanos));
        freeAt.values().removeIf(t -> !recent(t, FREE_VALID, nowNanos));
        freeFor.keySet().retainAll(freeAt.keySet());
        freeOn.keySet().retainAll(freeAt.keySet());
    }

    /**
     * A probe's outcome. Free: the IP may be announced (next recompute); in use: held and
     * reported until a later probe finds it free.
     *
     * @return whether what is reported changed (an IP found in use, or found free again)
     */
    public boolean result(ProbeResult r, Instant wallNow, long nowNanos) {
        Set<ServiceKey> services = probing.remove(r.ip());
        Set<String> on = probingOn.remove(r.ip());
        if (services == null && recent(freeAt.get(r.ip()), FREE_VALID, nowNanos)) {
            // an answer read after the probe had said "free"
            services = freeFor.get(r.ip());
            on = freeOn.get(r.ip());
        }
        InUse before = inUse.get(r.ip());
        if (r instanceof ProbeResult.InUse u) {
            Set<ServiceKey> all = new TreeSet<>(services == null ? Set.of() : services);
            if (before != null) {
                all.addAll(before.services());
            }
            freeAt.remove(r.ip());
            inUse.put(r.ip(), new InUse(u, all, on == null ? before == null ? Set.of() : before.interfaces() : on,
                    before == null ? wallNow : before.since(), nowNanos));
            return before == null || !before.found().mac().equals(u.mac());
        }
        freeAt.put(r.ip(), nowNanos);
        freeFor.put(r.ip(), services == null ? Set.of() : services);
        freeOn.put(r.ip(), on == null ? Set.of() : on);
        return inUse.remove(r.ip()) != null;
    }

    /** The in-use IPs due for another probe, with their interfaces; marks them as being probed. */
    public Map<IpAddress, Set<String>> recheckDue(long nowNanos) {
        Map<IpAddress, Set<String>> due = new LinkedHashMap<>();
        for (InUse u : inUse.values()) {
            IpAddress ip = u.found().ip();
            if (!probing.containsKey(ip) && !recent(u.lastProbeNanos(), RECHECK, nowNanos)) {
                due.put(ip, u.interfaces());
                probing.put(ip, new TreeSet<>(u.services()));
                probingOn.put(ip, u.interfaces());
            }
        }
        return due;
    }

    /** Drops Services that no longer exist from the records; a record left without any goes. */
    public boolean retainServices(Set<ServiceKey> existing) {
        boolean changed = false;
        for (IpAddress ip : new ArrayList<>(inUse.keySet())) {
            InUse u = inUse.get(ip);
            Set<ServiceKey> kept = new TreeSet<>(u.services());
            kept.retainAll(existing);
            if (kept.isEmpty()) {
                inUse.remove(ip);
                changed = true;
            } else if (!kept.equals(u.services())) {
                inUse.put(ip, new InUse(u.found(), kept, u.interfaces(), u.since(), u.lastProbeNanos()));
                changed = true;
            }
        }
        return changed;
    }

    /** Every IP found in use, by Service. */
    public Map<ServiceKey, List<AddressConflict>> conflicts() {
        Map<ServiceKey, List<AddressConflict>> out = new TreeMap<>();
        for (InUse u : inUse.values()) {
            ProbeResult.InUse f = u.found();
            AddressConflict c = new AddressConflict(f.ip(), AddressConflict.Kind.IN_USE, f.mac(), f.how(),
                    f.interfaceName(), u.since());
            for (ServiceKey s : u.services()) {
                out.computeIfAbsent(s, k -> new ArrayList<>()).add(c);
            }
        }
        return out;
    }

    /** The IPs found in use (for metrics and the recheck timer). */
    public Set<IpAddress> inUse() {
        return new TreeSet<>(inUse.keySet());
    }

    public boolean probing(IpAddress ip) {
        return probing.containsKey(ip);
    }

    private boolean ownedByOtherFor(IpAddress ip, long nowNanos) {
        Long since = otherOwnedSince.get(ip);
        return since != null && nowNanos - since >= OTHER_OWNED_FOR.toNanos();
    }

    private static boolean recent(Long at, Duration within, long nowNanos) {
        return at != null && nowNanos - at < within.toNanos();
    }

    /** The Services of each IP in {@code services} (as {@code OwnershipPlan.servicesOwnedBy} gives them). */
    public static Map<IpAddress, Set<ServiceKey>> servicesOf(SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> services) {
        Map<IpAddress, Set<ServiceKey>> out = new HashMap<>();
        services.forEach((k, ips) -> ips.keySet().forEach(ip -> out.computeIfAbsent(ip, x -> new HashSet<>()).add(k)));
        return out;
    }
}
