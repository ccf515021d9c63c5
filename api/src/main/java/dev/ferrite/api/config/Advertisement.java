package dev.ferrite.api.config;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated L2Advertisement. {@code pools} is resolved: names listed plus pools matched by
 * the pool selectors, or every pool when the advertisement names none.
 */
public record Advertisement(
        String name,
        Set<String> pools,
        List<Selector> nodeSelectors,
        List<String> interfaces,
        List<Selector> serviceSelectors) {

    public Advertisement {
        pools = Collections.unmodifiableSortedSet(new TreeSet<>(pools));
        nodeSelectors = List.copyOf(nodeSelectors);
        interfaces = List.copyOf(interfaces);
        serviceSelectors = List.copyOf(serviceSelectors);
    }
}
