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
 * previous recompute. It does not matter whether that node is still a member: a speaker that
 * was drained, upgraded or crashed leaves its node's kube-proxy and conntrack running, and
 * those hold the flows. A window closes when its time is up, when this node no longer owns
 * the IP (failback: the other node now has the flows it knows and hands ours back), or when
 * the previous owner's node is known to be gone (its address no longer answers on the link;
 * {@link #nodesGone}). A newer move of the same IP to this node replaces the window.
 *
 * <p>Only IPv4 Service IPs get windows: the previous owner is reached through its node
 * address, and nodes are known here by one IPv4 InternalIP.
 */
public final class HandoffState {

    private final String self;
    private final Duration length;
    private final SortedMap<IpAddress, String> lastOwners;
    private final SortedMap<IpAddress, HandoffWindow> open = new TreeMap<>();

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
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("handoff window must be positive, got " + length);
        }
        this.self = Objects.requireNonNull(self, "self");
        this.length = length;
        this.lastOwners = new TreeMap<>();
    }

    /**
     * Feeds one recompute's outcome.
     *
     * @param owners            the owner of every Service IP that has one
     * @param ownersWithoutSelf the election of the same inputs without this node, asked only for
     *                          an IP this node gains without having seen its owner before: for a
     *                          speaker that just started, that is who held the IP while it was away
     * @param nodeAddresses     each node's address, where known
     * @param now               the time of the recompute
     */
    public Change update(Map<IpAddress, String> owners, Supplier<Map<IpAddress, String>> ownersWithoutSelf,
            Map<String, IpAddress> nodeAddresses, Instant now) {
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
            if (before == null) {
                if (withoutSelf == null) {
                    withoutSelf = ownersWithoutSelf.get();
                }
                before = withoutSelf.get(ip);
            }
            if (before == null || before.equals(self)) {
                continue;
            }
            IpAddress via = nodeAddresses.get(before);
            if (ip.family() != IpFamily.IPv4) {
                skipped.add(new Skipped(ip, before, "only IPv4 Service IPs are handed off"));
            } else if (via == null || via.family() != IpFamily.IPv4) {
                skipped.add(new Skipped(ip, before, "node " + before + " has no IPv4 InternalIP"));
            } else {
                HandoffWindow w = new HandoffWindow(ip, before, via, now, now.plus(length));
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
        return new Change(opened, closed, skipped);
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
    public java.util.Optional<Instant> nextDeadline() {
        return open.values().stream().map(HandoffWindow::until).min(Instant::compareTo);
    }

    public Duration length() {
        return length;
    }
}
