package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which IPs this node announces, on which interfaces, and since which claim. The
 * generation of a claim stays the same while the IP is announced and is new after a
 * withdrawal, so a gratuitous frame scheduled for an earlier claim can tell it is stale.
 *
 * <p>Pure bookkeeping: the announcer decides which interfaces are open and sends the frames.
 * Reads may come from any thread (capture threads ask {@link #ownedOn} for every request);
 * changes are made by one caller at a time.
 */
public final class Claims {

    /** One announced IP: the interfaces asked for, those it is announced on, and its generation. */
    public record Claim(Set<String> requested, Set<String> interfaces, long generation) {
        public Claim {
            requested = Set.copyOf(requested);
            interfaces = Collections.unmodifiableSortedSet(new TreeSet<>(interfaces));
        }
    }

    /**
     * What claiming one IP changed: the interfaces it is now announced on ({@code names}),
     * those that need gratuitous frames ({@code added}, which includes interfaces reopened since
     * the last claim) and those it left ({@code removed}).
     */
    public record Change(IpAddress ip, Set<String> requested, Set<String> names, Set<String> added,
            Set<String> removed, long generation) {
    }

    private final Map<IpAddress, Claim> claims = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();

    /** The claim on {@code ip}, or null. */
    public Claim get(IpAddress ip) {
        return claims.get(ip);
    }

    /** Whether {@code ip} is announced as {@code requested} on interfaces that are all still {@code open}. */
    public boolean unchanged(IpAddress ip, Set<String> requested, Set<String> open) {
        Claim old = claims.get(ip);
        return old != null && old.requested().equals(requested) && !old.interfaces().isEmpty()
                && open.containsAll(old.interfaces());
    }

    /**
     * Records that {@code ip} is announced on {@code names}, as {@code requested}.
     *
     * @param openBefore interfaces that were open before the caller opened the ones of
     *                   {@code names}: a claimed interface missing from it was reopened and
     *                   needs announcing again
     * @return what changed, or null when nothing did
     */
    public Change claim(IpAddress ip, Set<String> requested, Set<String> openBefore, Set<String> names) {
        Claim old = claims.get(ip);
        Set<String> reopened = new TreeSet<>(old == null ? Set.of() : old.interfaces());
        reopened.removeAll(openBefore);
        reopened.retainAll(names);
        if (old != null && old.interfaces().equals(names) && reopened.isEmpty()) {
            claims.put(ip, new Claim(requested, names, old.generation()));
            return null;
        }
        long generation = old == null ? generations.incrementAndGet() : old.generation();
        claims.put(ip, new Claim(requested, names, generation));
        Set<String> added = new TreeSet<>(names);
        Set<String> removed = new TreeSet<>();
        if (old != null) {
            added.removeAll(old.interfaces());
            added.addAll(reopened);
            removed.addAll(old.interfaces());
            removed.removeAll(names);
        }
        return new Change(ip, Set.copyOf(requested), new TreeSet<>(names), added, removed, generation);
    }

    /** Forgets {@code ip}; returns its claim, or null when it was not announced. */
    public Claim withdraw(IpAddress ip) {
        return claims.remove(ip);
    }

    /** Whether {@code ip} is announced on interface {@code name}. */
    public boolean ownedOn(IpAddress ip, String name) {
        Claim c = claims.get(ip);
        return c != null && c.interfaces().contains(name);
    }

    /** Whether a frame scheduled for claim {@code generation} of {@code ip} on {@code name} is still due. */
    public boolean current(IpAddress ip, String name, long generation) {
        Claim c = claims.get(ip);
        return c != null && c.generation() == generation && c.interfaces().contains(name);
    }

    /** Every announced IP and the interfaces it is announced on. */
    public SortedMap<IpAddress, Set<String>> announcements() {
        SortedMap<IpAddress, Set<String>> out = new TreeMap<>();
        claims.forEach((ip, c) -> out.put(ip, c.interfaces()));
        return out;
    }

    /**
     * The claimed IPs as they change, not a copy: for the periodic probes and refresh, which
     * look several times a second and would otherwise copy every claim each time.
     */
    public Set<IpAddress> ips() {
        return Collections.unmodifiableSet(claims.keySet());
    }

    public void clear() {
        claims.clear();
    }
}
