package dev.ferrite.api.config;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpRange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The whole validated configuration: every pool by name, every advertisement. Pools never
 * overlap (the parser refuses overlaps), so an address names its pool: {@link #poolOf}.
 */
public record Config(SortedMap<String, Pool> pools, List<Advertisement> advertisements) {

    public static final Config EMPTY = new Config(new TreeMap<>(), List.of());

    public Config {
        pools = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(pools));
        advertisements = List.copyOf(advertisements);
    }

    /**
     * The pool holding {@code ip}, or empty when no pool does. Unique because pools never
     * overlap; linear in the pools' ranges, which are few.
     */
    public Optional<String> poolOf(IpAddress ip) {
        for (Pool p : pools.values()) {
            for (IpRange r : p.ranges()) {
                if (r.contains(ip)) {
                    return Optional.of(p.name());
                }
            }
        }
        return Optional.empty();
    }

    public static Config of(Map<String, Pool> pools, List<Advertisement> advertisements) {
        return new Config(new TreeMap<>(pools), advertisements);
    }
}
