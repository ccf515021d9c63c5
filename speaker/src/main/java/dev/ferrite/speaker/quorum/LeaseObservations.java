package dev.ferrite.speaker.quorum;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * When each witness Lease last changed, as seen from this node. Expiry is judged on our own
 * clock from the moment we first saw a Lease's current version, never from the renew time
 * written in it: the writer's clock may be off, and seeing a version late only makes its
 * expiry later (the safe direction). Pure: times are passed in.
 */
public final class LeaseObservations {

    /** {@code changed}: this version replaced one we saw before (not merely the first we saw). */
    private record Seen(String version, long firstSeenNanos, boolean changed) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** Records the versions of one complete read; Leases missing from it are forgotten. */
    public void observeAll(Map<String, String> versionByName, long nowNanos) {
        seen.keySet().retainAll(versionByName.keySet());
        versionByName.forEach((name, version) -> observe(name, version, nowNanos));
    }

    /** Records one Lease's version. */
    public void observe(String name, String version, long nowNanos) {
        Seen before = seen.get(name);
        if (before == null || !before.version().equals(version)) {
            seen.put(name, new Seen(version, nowNanos, before != null));
        }
    }

    /**
     * Records a version that another node has just written: our own write of the Lease was
     * refused because it changed under us. It counts as a change even when it is the first
     * version we see, so its holder is fresh at once.
     */
    public void observeWritten(String name, String version, long nowNanos) {
        Seen before = seen.get(name);
        long since = before != null && before.version().equals(version) ? before.firstSeenNanos() : nowNanos;
        seen.put(name, new Seen(version, since, true));
    }

    public void forget(String name) {
        seen.remove(name);
    }

    /** Whether {@code name} is known and has not changed for at least {@code forNanos}. */
    public boolean unchangedFor(String name, long forNanos, long nowNanos) {
        Seen s = seen.get(name);
        return s != null && nowNanos - s.firstSeenNanos() >= forNanos;
    }

    /**
     * Whether we saw {@code name} change within the last {@code withinNanos}. The first version
     * we ever see does not count: an abandoned Lease must not look alive to a new observer.
     */
    public boolean changedWithin(String name, long withinNanos, long nowNanos) {
        Seen s = seen.get(name);
        return s != null && s.changed() && nowNanos - s.firstSeenNanos() < withinNanos;
    }

    /** The Leases that have not changed for at least {@code forNanos}. */
    public Set<String> unchangedFor(long forNanos, long nowNanos) {
        Set<String> out = new TreeSet<>();
        seen.forEach((name, s) -> {
            if (nowNanos - s.firstSeenNanos() >= forNanos) {
                out.add(name);
            }
        });
        return out;
    }

    public Set<String> names() {
        return new TreeSet<>(seen.keySet());
    }
}
