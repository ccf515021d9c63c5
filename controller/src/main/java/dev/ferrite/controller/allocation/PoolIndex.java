package dev.ferrite.controller.allocation;

import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.Pool;
import dev.ferrite.api.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pools of one configuration, as the allocator looks them up: by name, by address (the
 * range holding it) and in the order automatic assignment tries them (pools whose
 * {@code serviceAllocation} admits the Service by priority then name, then the other
 * auto-assign pools by name). Built anew on every configuration; holds no allocation.
 */
final class PoolIndex {

    /** A range of a pool, found by address. */
    record RangeRef(PoolState pool, AllocatedRuns runs) {
    }

    private final Map<String, PoolState> byName;
    private final TreeMap<IpAddress, RangeRef> rangesByFirst;
    /** Auto-assign pools with a serviceAllocation rule, in priority order. */
    private final List<PoolState> ruledPools;
    /** Auto-assign pools without a serviceAllocation rule, by name. */
    private final List<PoolState> openPools;

    PoolIndex(Config config) {
        Map<String, PoolState> names = new TreeMap<>();
        TreeMap<IpAddress, RangeRef> index = new TreeMap<>();
        List<PoolState> ruled = new ArrayList<>();
        List<PoolState> open = new ArrayList<>();
        for (Pool p : config.pools().values()) {
            PoolState state = new PoolState(p);
            names.put(p.name(), state);
            for (AllocatedRuns r : state.ranges) {
                index.put(r.range().first(), new RangeRef(state, r));
            }
            if (p.autoAssign()) {
                (p.serviceAllocation().isPresent() ? ruled : open).add(state);
            }
        }
        ruled.sort(Comparator
                .comparing((PoolState s) -> s.pool.serviceAllocation().orElseThrow().priority().isEmpty())
                .thenComparing(s -> s.pool.serviceAllocation().orElseThrow().priority().orElse(0))
                .thenComparing(PoolState::name));
        byName = names;
        rangesByFirst = index;
        ruledPools = List.copyOf(ruled);
        openPools = List.copyOf(open);
    }

    Optional<PoolState> pool(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The pool range holding {@code ip}, if any pool does. */
    Optional<RangeRef> rangeOf(IpAddress ip) {
        IpAddress first = rangesByFirst.floorKey(ip);
        RangeRef range = first == null ? null : rangesByFirst.get(first);
        if (range == null || !range.runs().range().contains(ip)) {
            return Optional.empty();
        }
        return Optional.of(range);
    }

    /** The auto-assign pools open to {@code r}, in the order they are tried. */
    List<PoolState> candidatePools(ServiceRequest r) {
        if (ruledPools.isEmpty()) {
            return openPools;
        }
        List<PoolState> order = new ArrayList<>(ruledPools.size() + openPools.size());
        for (PoolState p : ruledPools) {
            if (p.pool.serviceAllocation().orElseThrow().admits(r.namespace(), r.namespaceLabels(), r.serviceLabels())) {
                order.add(p);
            }
        }
        order.addAll(openPools);
        return order;
    }
}
