package dev.ferrite.api.config;

import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A validated IPAddressPool. Ranges are sorted and do not overlap each other or any other
 * pool's ranges. {@code serviceAllocation} is empty when the pool does not restrict or order
 * the Services it serves.
 */
public record Pool(
        String name,
        Map<String, String> labels,
        List<IpRange> ranges,
        boolean autoAssign,
        boolean avoidBuggyIPs,
        Optional<ServiceAllocationRule> serviceAllocation) {

    public Pool {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        ranges = List.copyOf(ranges);
    }

    public boolean hasFamily(IpFamily family) {
        for (IpRange r : ranges) {
            if (r.family() == family) {
                return true;
            }
        }
        return false;
    }

    /** Which Services a pool serves, and how early it is tried (lower priority first). */
    public record ServiceAllocationRule(
            Optional<Integer> priority,
            Set<String> namespaces,
            List<Selector> namespaceSelectors,
            List<Selector> serviceSelectors) {

        public ServiceAllocationRule {
            namespaces = Collections.unmodifiableSortedSet(new TreeSet<>(namespaces));
            namespaceSelectors = List.copyOf(namespaceSelectors);
            serviceSelectors = List.copyOf(serviceSelectors);
        }

        /** Whether a Service in a namespace with these labels may be served by the pool. */
        public boolean admits(String namespace, Map<String, String> namespaceLabels, Map<String, String> serviceLabels) {
            boolean nsOk = (namespaces.isEmpty() && namespaceSelectors.isEmpty())
                    || namespaces.contains(namespace)
                    || (!namespaceSelectors.isEmpty() && Selector.anyMatches(namespaceSelectors, namespaceLabels));
            return nsOk && Selector.anyMatches(serviceSelectors, serviceLabels);
        }
    }
}
