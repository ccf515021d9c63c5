package dev.ferrite.api.config;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The whole validated configuration: every pool by name, every advertisement. */
public record Config(SortedMap<String, Pool> pools, List<Advertisement> advertisements) {

    public static final Config EMPTY = new Config(new TreeMap<>(), List.of());

    public Config {
        pools = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(pools));
        advertisements = List.copyOf(advertisements);
    }

    public static Config of(Map<String, Pool> pools, List<Advertisement> advertisements) {
        return new Config(new TreeMap<>(pools), advertisements);
    }
}
