package dev.ferrite.controller.allocation;

import dev.ferrite.api.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which Services hold each address: the Service that took it first (most addresses have one
 * holder, so they cost one map entry), the further Services sharing it in arrival order, and
 * per sharing key the addresses held under it, lowest first. Bookkeeping only: whether a
 * Service may share is the allocator's rule, and the pool ranges are the allocator's to update
 * when an address becomes held or free.
 */
final class AddressHolders {
    private final Map<IpAddress, String> first = new HashMap<>();
    private final Map<IpAddress, List<String>> sharers = new HashMap<>();
    private final Map<String, TreeSet<IpAddress>> bySharingKey = new HashMap<>();

    boolean isHeld(IpAddress ip) {
        return first.containsKey(ip);
    }

    /** The Services holding {@code ip}, the first holder first; empty when it is free. */
    List<String> holdersOf(IpAddress ip) {
        String holder = first.get(ip);
        if (holder == null) {
            return List.of();
        }
        List<String> more = sharers.getOrDefault(ip, List.of());
        if (more.isEmpty()) {
            return List.of(holder);
        }
        List<String> all = new ArrayList<>(1 + more.size());
        all.add(holder);
        all.addAll(more);
        return all;
    }

    /** The addresses held under a sharing key, lowest first. */
    NavigableSet<IpAddress> sharedUnder(String sharingKey) {
        TreeSet<IpAddress> set = bySharingKey.get(sharingKey);
        return set == null ? Collections.emptyNavigableSet() : Collections.unmodifiableNavigableSet(set);
    }

    /** Records {@code key} as a holder of {@code ip}; true when nobody held it before. */
    boolean hold(String key, IpAddress ip, Optional<String> sharingKey) {
        String holder = first.putIfAbsent(ip, key);
        if (holder == null) {
            sharingKey.ifPresent(k -> bySharingKey.computeIfAbsent(k, x -> new TreeSet<>()).add(ip));
            return true;
        }
        if (!holder.equals(key)) {
            List<String> more = new ArrayList<>(sharers.getOrDefault(ip, List.of()));
            if (!more.contains(key)) {
                more.add(key);
                sharers.put(ip, List.copyOf(more));
            }
        }
        return false;
    }

    /** Takes {@code key} off the holders of {@code ip}; true when nobody holds it any more. */
    boolean release(String key, IpAddress ip, Optional<String> sharingKey) {
        String holder = first.get(ip);
        if (holder == null) {
            return false;
        }
        List<String> more = sharers.getOrDefault(ip, List.of());
        if (!more.isEmpty() && (holder.equals(key) || more.contains(key))) {
            List<String> rest = new ArrayList<>(more);
            if (holder.equals(key)) {
                first.put(ip, rest.remove(0));
            } else {
                rest.remove(key);
            }
            if (rest.isEmpty()) {
                sharers.remove(ip);
            } else {
                sharers.put(ip, List.copyOf(rest));
            }
            return false;
        }
        if (!holder.equals(key)) {
            return false;
        }
        first.remove(ip);
        sharingKey.ifPresent(k -> {
            TreeSet<IpAddress> set = bySharingKey.get(k);
            if (set != null) {
                set.remove(ip);
                if (set.isEmpty()) {
                    bySharingKey.remove(k);
                }
            }
        });
        return true;
    }

    void clear() {
        first.clear();
        sharers.clear();
        bySharingKey.clear();
    }
}
