package dev.ferrite.speaker.handoff;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Which Service IPs this node holds in a handoff window, from which node, until when. Pure:
 * fed with the owner of every Service IP after each ownership recompute (the election
 * history every speaker computes alike, no API call), the nodes' addresses and the time.
 *
 * <p>A window opens when this node becomes the owner of an IP another node owned in the
 * previous recompute. In the first recompute that elects anybody, every IP is one this
 * speaker has not seen an owner of, so the election without this node tells who held each IP
 * while it was away (the same after {@link #sidelined}, when this node took no part in the
 * election for a while); after that, an IP without history is a new address (a new Service, a
 * changed address), which nobody holds flows of: it opens no window. It does not matter
 * whether that node is still a member: a speaker that
 * was drained, upgraded or crashed leaves its node's kube-proxy and conntrack running, and
 * those hold the flows. A window closes when its time is up, when this node no longer owns
 * the IP (failback: the other node now has the flows it knows and hands ours back), or when
 * the previous owner's node is known to be gone (its address no longer answers on the link;
 * {@link #nodesGone}). A newer move of the same IP to this node replaces the window.
 *
 * <p>The previous owner is reached through its InternalIP of the Service IP's family: an IPv6
 * Service IP needs an IPv6 InternalIP (a dual-stack Node lists one of each). A family that
 * cannot be handed off on this node (IPv6 forwarding off, say) gets no windows; the moves
 * are reported as skipped, with the reason.
 */
public final class HandoffState {

    private final String self;
    private final Duration length;
    private final SortedMap<IpAddress, String> lastOwners;
    private final SortedMap<IpAddress, HandoffWindow> open = new TreeMap<>();
    private final Map<IpFamily, String> familiesOff;
    /** Whether an update has elected an owner: from then on an IP without history is new. */
    private boolean seeded;

    /** Why a window ended. */
    public enum Reason {
        EXPIRED("its time is up"),
        IP_LOST("this node no longer owns the IP"),
        NODE_GONE("the previous owner's node is gone"),
        REPLACED("the IP moved to this node again");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** A window that ended, and why. */
    public record Closed(HandoffWindow window, Reason reason) {
    }

    /** A move this node took over without a window, and why (e.g. no address for the node). */
    public record Skipped(IpAddress ip, String fromNode, String reason) {
    }

    /** What one update changed. */
    public record Change(List<HandoffWindow> opened, List<Closed> closed, List<Skipped> skipped) {
        public Change {
            opened = List.copyOf(opened);
            closed = List.copyOf(closed);
            skipped = List.copyOf(skipped);
        }

        public boolean isEmpty() {
            return opened.isEmpty() && closed.isEmpty();
        }
    }

    /**
     * @param self   this node's name
     * @param length how long a window lasts at most
     */
    public HandoffState(String self, Duration length) {
        this(self, length, Map.of());
    }

    /**
     * @param self        this node's name
     * @param length      how long a window lasts at most
     * @param familiesOff the address families that cannot be handed off here, each with why
     */
    public HandoffState(String self, Duration length, Map<IpFamily, String> familiesOff) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("handoff window must be positive, got " + length);
        }
        this.self = Objects.requireNonNull(self, "self");
        this.length = length;
        this.lastOwners = new TreeMap<>();
        this.familiesOff = Map.copyOf(familiesOff);
    }

    /**
     * Feeds one recompute's outcome.
     *
     * @param owners            the owner of every Service IP that has one
     * @param ownersWithoutSelf the election of the same inputs without this node, asked only in
     *                          the first update that elects anybody, for an IP this node gains
     *                          without having seen its owner before: for a speaker that just
     *                          started, that is who held the IP while it was away
     * @param nodeAddresses     each node's InternalIPs, where known
     * @param now               the time of the recompute
     */
    public Change update(Map<IpAddress, String> owners, Supplier<Map<IpAddress, String>> ownersWithoutSelf,
            Map<String, List<IpAddress>> nodeAddresses, Instant now) {
        List<HandoffWindow> opened = new ArrayList<>();
        List<Closed> closed = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Map<IpAddress, String> withoutSelf = null;
        for (Map.Entry<IpAddress, String> e : owners.entrySet()) {
            IpAddress ip = e.getKey();
            if (!self.equals(e.getValue())) {
                continue;
            }
            String before = lastOwners.get(ip);
            if (before == null && !seeded) {
                if (withoutSelf == null) {
                    withoutSelf = ownersWithoutSelf.get();
                }
                before = withoutSelf.get(ip);
            }
            if (before == null || before.equals(self)) {
                continue;
            }
            Optional<IpAddress> via = addressOf(nodeAddresses.get(before), ip.family());
            if (familiesOff.containsKey(ip.family())) {
                skipped.add(new Skipped(ip, before, familiesOff.get(ip.family())));
            } else if (via.isEmpty()) {
                skipped.add(new Skipped(ip, before, "node " + before + " has no " + ip.family() + " InternalIP"));
            } else {
                HandoffWindow w = new HandoffWindow(ip, before, via.get(), now, now.plus(length));
                HandoffWindow replaced = open.put(ip, w);
                if (replaced != null) {
                    closed.add(new Closed(replaced, Reason.REPLACED));
                }
                opened.add(w);
            }
        }
        for (HandoffWindow w : new ArrayList<>(open.values())) {
            if (opened.contains(w)) {
                continue;
            }
            if (!self.equals(owners.get(w.ip()))) {
                closed.add(close(w, Reason.IP_LOST));
            } else if (!now.isBefore(w.until())) {
                closed.add(close(w, Reason.EXPIRED));
            }
        }
        // An IP without an owner for a while (no ready endpoint) keeps its last owner: that
        // node may still hold flows when the IP comes back. The map grows with the IPs ever
        // owned, which the allocator keeps to the addresses in use.
        lastOwners.putAll(owners);
        seeded |= !owners.isEmpty();
        return new Change(opened, closed, skipped);
    }

    /**
     * This node takes no part in the election now (it withholds its announcements, having lost
     * sight of most members, or its membership is quarantined): the others elect among
     * themselves, and whom they elect is not seen here. The history is forgotten, so the next
     * update that elects anybody asks the election without this node who held each IP
     * meanwhile, as after a start: a node whose link comes back takes its IPs back from the
     * interim owner with a window, not as if they had never left it.
     */
    public void sidelined() {
        lastOwners.clear();
        seeded = false;
    }

    /** A node's first address of {@code family} among {@code addresses} (null: none known). */
    static Optional<IpAddress> addressOf(List<IpAddress> addresses, IpFamily family) {
        return addresses == null ? Optional.empty() : addresses.stream().filter(a -> a.family() == family).findFirst();
    }

    /** Closes the windows that have expired by {@code now}, without a recompute. */
    public Change expire(Instant now) {
        List<Closed> closed = new ArrayList<>();
        for (HandoffWindow w : new ArrayList<>(open.values())) {
            if (!now.isBefore(w.until())) {
                closed.add(close(w, Reason.EXPIRED));
            }
        }
        return new Change(List.of(), closed, List.of());
    }

    /** Closes the windows whose previous owner is among {@code gone}. */
    public Change nodesGone(Set<String> gone) {
        List<Closed> closed = new ArrayList<>();
        for (HandoffWindow w : new ArrayList<>(open.values())) {
            if (gone.contains(w.fromNode())) {
                closed.add(close(w, Reason.NODE_GONE));
            }
        }
        return new Change(List.of(), closed, List.of());
    }

    /** Closes every window (the speaker stops). */
    public List<HandoffWindow> closeAll() {
        List<HandoffWindow> all = new ArrayList<>(open.values());
        open.clear();
        return all;
    }

    private Closed close(HandoffWindow w, Reason reason) {
        open.remove(w.ip());
        return new Closed(w, reason);
    }

    /** The open windows by IP. */
    public SortedMap<IpAddress, HandoffWindow> windows() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(open));
    }

    /** When the next window closes, if any is open. */
    public Optional<Instant> nextDeadline() {
        return open.values().stream().map(HandoffWindow::until).min(Instant::compareTo);
    }

    public Duration length() {
        return length;
    }
}
