package dev.ferrite.api.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated L2Advertisement. {@code pools} is resolved: names listed plus pools matched by
 * the pool selectors, or every pool when the advertisement names none.
 *
 * @param preferences weighted node preferences for the election (empty: all candidates equal)
 * @param garpRefresh period of gratuitous re-announcement of its IPs; empty: the speaker's own
 */
public record Advertisement(
        String name,
        Set<String> pools,
        List<Selector> nodeSelectors,
        List<String> interfaces,
        List<Selector> serviceSelectors,
        List<Preference> preferences,
        Optional<Duration> garpRefresh) {

    /** Nodes matching {@code selector} get {@code weight} (1-100) added to their election score. */
    public record Preference(int weight, Selector selector) {
    }

    public Advertisement {
        pools = Collections.unmodifiableSortedSet(new TreeSet<>(pools));
        nodeSelectors = List.copyOf(nodeSelectors);
        interfaces = List.copyOf(interfaces);
        serviceSelectors = List.copyOf(serviceSelectors);
        preferences = List.copyOf(preferences);
    }

    /** An advertisement without node preferences or its own refresh period. */
    public Advertisement(String name, Set<String> pools, List<Selector> nodeSelectors, List<String> interfaces,
            List<Selector> serviceSelectors) {
        this(name, pools, nodeSelectors, interfaces, serviceSelectors, List.of(), Optional.empty());
    }

    /** The sum of the weights of the preferences {@code nodeLabels} match. */
    public long preferenceScore(Map<String, String> nodeLabels) {
        long score = 0;
        for (Preference p : preferences) {
            if (p.selector().matches(nodeLabels)) {
                score += p.weight();
            }
        }
        return score;
    }
}
