package dev.ferrite.controller.allocation;

import dev.ferrite.api.config.Config;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.controller.allocation.AllocationResult.Allocated;
import dev.ferrite.controller.allocation.AllocationResult.Pending;
import dev.ferrite.controller.allocation.PoolIndex.RangeRef;
import dev.ferrite.controller.allocation.ServiceRequest.FamilyPolicy;
import dev.ferrite.controller.allocation.ServiceRequest.Port;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides which addresses each LoadBalancer Service gets, in this order: requested IPs, then
 * the pool annotation, then the pools whose {@code serviceAllocation} admits the Service (by
 * priority, then name), then the other auto-assign pools (by name), as {@link PoolIndex}
 * orders them; within a pool the lowest free address, in the families {@link FamilyRules}
 * gives the Service. Who holds which address is kept by {@link AddressHolders}.
 *
 * <p>A Service keeps what it has: {@link #assign} returns the current addresses as long as
 * they still satisfy the request (requested IPs, pool annotation, families, sharing), even
 * when the normal order would now pick another pool; {@link #restore} records addresses
 * from Service status after a restart without looking at the order at all. So an address
 * never moves because the controller restarted or because a pool got a better priority.
 *
 * <p>Sharing: an address may be held by several Services when all carry the same sharing
 * key, the same backend key (their pods, for {@code externalTrafficPolicy: Local}) and no
 * two use the same protocol and port.
 *
 * <p>Addresses in use outside the cluster ({@link #setInUse}: a speaker's probe before its first
 * announcement was answered by a host that is not a node) are never handed out, neither
 * automatically nor on request, and a Service holding one gets another address (or, when it
 * requested that one, stays pending) until the address is reported free again.
 *
 * <p>Costs: each pool range keeps its held addresses as merged runs ({@link AllocatedRuns}),
 * and hash maps index Services and address holders, so assign and release are O(log n) in the
 * number of allocations and memory never depends on pool size. All public methods are
 * synchronized; the allocator does no I/O and never blocks.
 */
public final class Allocator {

    /** What the allocator remembers of one Service: its addresses and what sharing needs. */
    private record Holding(
            String pool,
            List<IpAddress> ips,
            Optional<String> sharingKey,
            Optional<String> backendKey,
            Set<Port> ports) {

        Allocated allocated() {
            return new Allocated(pool, ips);
        }
    }

    private final Map<String, Holding> services = new HashMap<>();
    private final AddressHolders holders = new AddressHolders();
    /** Address → why it is in use outside the cluster (who answered the probe). */
    private final Map<IpAddress, String> inUse = new HashMap<>();
    private PoolIndex pools;

    public Allocator(Config config) {
        pools = new PoolIndex(config);
    }

    /**
     * Installs a new validated config. Returns the keys of Services whose addresses are no
     * longer inside any pool: they are released and must be allocated again. Services whose
     * addresses are still inside some pool keep them (their pool name is updated if the
     * address now belongs to another pool).
     */
    public synchronized Set<String> setConfig(Config config) {
        pools = new PoolIndex(config);
        // the runs are new: hold the Services' addresses first, then block the in-use ones again
        Map<IpAddress, String> blocked = new HashMap<>(inUse);
        inUse.clear();
        Set<String> released = new TreeSet<>();
        List<Map.Entry<String, Holding>> kept = new ArrayList<>();
        for (Map.Entry<String, Holding> e : services.entrySet()) {
            Holding h = e.getValue();
            Optional<RangeRef> first = Optional.empty();
            boolean inside = true;
            for (IpAddress ip : h.ips()) {
                Optional<RangeRef> r = rangeOf(ip);
                inside &= r.isPresent();
                if (first.isEmpty()) {
                    first = r;
                }
            }
            if (inside && first.isPresent()) {
                kept.add(Map.entry(e.getKey(), new Holding(
                        first.get().pool().name(), h.ips(), h.sharingKey(), h.backendKey(), h.ports())));
            } else {
                released.add(e.getKey());
            }
        }
        services.clear();
        holders.clear();
        kept.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, Holding> e : kept) {
            services.put(e.getKey(), e.getValue());
            for (IpAddress ip : e.getValue().ips()) {
                holdAddress(e.getKey(), ip, e.getValue().sharingKey());
            }
        }
        blocked.forEach(this::block);
        return Collections.unmodifiableSet(released);
    }

    /**
     * Replaces the addresses in use outside the cluster, each with why (who found it). Such an
     * address is not handed out while listed. Returns the keys of Services that hold an address
     * newly listed: they must be allocated again (an auto-assigned one moves, one that requested
     * the address goes pending). Addresses outside every pool are kept and apply once a pool
     * covers them.
     */
    public synchronized Set<String> setInUse(Map<IpAddress, String> now) {
        for (IpAddress ip : new ArrayList<>(inUse.keySet())) {
            if (!now.containsKey(ip)) {
                inUse.remove(ip);
                if (!holders.isHeld(ip)) {
                    rangeOf(ip).filter(r -> !r.runs().skipped(ip)).ifPresent(r -> r.runs().remove(ip, this::taken));
                }
            }
        }
        Set<String> affected = new TreeSet<>();
        now.forEach((ip, why) -> {
            boolean added = !inUse.containsKey(ip);
            if (added) {
                affected.addAll(holders.holdersOf(ip));
            }
            if (added) {
                block(ip, why);
            } else {
                inUse.put(ip, why);
            }
        });
        return Collections.unmodifiableSet(affected);
    }

    /** The addresses of {@code pool} in use outside the cluster, with why. */
    public synchronized java.util.SortedMap<IpAddress, String> inUse(String pool) {
        java.util.SortedMap<IpAddress, String> out = new TreeMap<>();
        inUse.forEach((ip, why) -> rangeOf(ip).filter(r -> r.pool().name().equals(pool)).ifPresent(r -> out.put(ip, why)));
        return out;
    }

    private void block(IpAddress ip, String why) {
        inUse.put(ip, why);
        if (!holders.isHeld(ip)) {
            // a skipped .0/.255 is never handed out anyway
            rangeOf(ip).filter(r -> !r.runs().skipped(ip)).ifPresent(r -> r.runs().add(ip));
        }
    }

    private boolean taken(IpAddress ip) {
        return holders.isHeld(ip) || inUse.containsKey(ip);
    }

    /**
     * Restart path: records addresses a Service already has in its status, before anything
     * new is allocated. Returns Allocated when the addresses are inside a pool and compatible
     * with their other holders (sharing rules), else Pending and nothing is recorded. The
     * allocation order is not consulted: an address never moves because of a restart.
     */
    public synchronized AllocationResult restore(ServiceRequest request, List<IpAddress> current) {
        if (current.isEmpty()) {
            return new Pending("service " + request.key() + " has no address to restore");
        }
        Set<IpFamily> seen = new HashSet<>();
        for (IpAddress ip : current) {
            if (!seen.add(ip.family())) {
                return new Pending("service " + request.key() + " has two " + ip.family() + " addresses: " + current);
            }
        }
        Optional<RangeRef> first = Optional.empty();
        for (IpAddress ip : current) {
            Optional<RangeRef> r = rangeOf(ip);
            if (r.isEmpty()) {
                return new Pending("address " + ip + " of service " + request.key() + " is not in any pool");
            }
            if (first.isEmpty()) {
                first = r;
            }
            Optional<String> conflict = conflict(request, ip);
            if (conflict.isPresent()) {
                return new Pending(conflict.get());
            }
        }
        Holding old = services.get(request.key());
        if (old != null) {
            unhold(request.key(), old);
        }
        return hold(request, first.get().pool().name(), FamilyRules.inOrder(request, current));
    }

    /**
     * Gives the Service addresses, or keeps the ones it has when they still fit the request
     * (a Service keeps its IP). When they no longer fit they are released first, and the
     * new allocation prefers them again where it can.
     */
    public synchronized AllocationResult assign(ServiceRequest request) {
        Holding held = services.get(request.key());
        List<IpAddress> previous = List.of();
        if (held != null) {
            Optional<AllocationResult> kept = keep(request, held);
            if (kept.isPresent()) {
                return kept.get();
            }
            unhold(request.key(), held);
            previous = held.ips();
        }
        if (!request.requestedIps().isEmpty()) {
            return assignRequested(request);
        }
        if (request.pool().isPresent()) {
            String name = request.pool().get();
            Optional<PoolState> pool = pools.pool(name);
            if (pool.isEmpty()) {
                return new Pending("pool " + name + " requested by service " + request.key() + " does not exist");
            }
            return assignFrom(request, List.of(pool.get()), previous);
        }
        List<PoolState> order = pools.candidatePools(request);
        if (order.isEmpty()) {
            return new Pending("no pool serves " + request.key());
        }
        return assignFrom(request, order, previous);
    }

    /** Frees the Service's addresses (shared addresses stay held while another Service uses them). */
    public synchronized boolean release(String serviceKey) {
        Holding h = services.get(serviceKey);
        if (h == null) {
            return false;
        }
        unhold(serviceKey, h);
        return true;
    }

    public synchronized Optional<Allocated> allocationOf(String serviceKey) {
        Holding h = services.get(serviceKey);
        return h == null ? Optional.empty() : Optional.of(h.allocated());
    }

    /** Per-pool usage for pool status and metrics; all zero for an unknown pool. */
    public synchronized PoolUsage usage(String pool) {
        Optional<PoolState> p = pools.pool(pool);
        if (p.isEmpty()) {
            return PoolUsage.NONE;
        }
        PoolUsage u = p.get().usage();
        long v4 = 0;
        long v6 = 0;
        for (IpAddress ip : inUse(pool).keySet()) {
            if (!holders.isHeld(ip) && !rangeOf(ip).orElseThrow().runs().skipped(ip)) {
                if (ip.family() == IpFamily.IPv4) {
                    v4++;
                } else {
                    v6++;
                }
            }
        }
        return new PoolUsage(u.assignedV4(), u.availableV4().subtract(BigInteger.valueOf(v4)).max(BigInteger.ZERO),
                u.assignedV6(), u.availableV6().subtract(BigInteger.valueOf(v6)).max(BigInteger.ZERO), u.totalV4(), u.totalV6());
    }

    /** Number of Services holding addresses. */
    public synchronized int size() {
        return services.size();
    }

    private Optional<RangeRef> rangeOf(IpAddress ip) {
        return pools.rangeOf(ip);
    }

    // ---- keeping what a Service has ----

    /**
     * The Service's current addresses adjusted to the request, or empty when they no longer
     * fit and the Service must be allocated afresh. Families the Service dropped are
     * released; a family it gained is added from the same pool when possible.
     */
    private Optional<AllocationResult> keep(ServiceRequest r, Holding held) {
        if (!r.requestedIps().isEmpty()) {
            if (!new HashSet<>(r.requestedIps()).equals(new HashSet<>(held.ips()))
                    || FamilyRules.requestedProblem(r).isPresent()) {
                return Optional.empty();
            }
        }
        Map<IpFamily, RangeRef> rangeByFamily = new HashMap<>();
        Map<IpFamily, IpAddress> byFamily = new HashMap<>();
        for (IpAddress ip : held.ips()) {
            Optional<RangeRef> range = rangeOf(ip);
            if (range.isEmpty()) {
                return Optional.empty();
            }
            if (r.pool().isPresent() && !r.pool().get().equals(range.get().pool().name())) {
                return Optional.empty();
            }
            byFamily.put(ip.family(), ip);
            rangeByFamily.put(ip.family(), range.get());
        }
        List<IpFamily> wanted = FamilyRules.wanted(r);
        List<IpAddress> ips = new ArrayList<>();
        PoolState pool = null;
        for (IpFamily f : wanted) {
            IpAddress ip = byFamily.get(f);
            if (ip != null) {
                if (conflict(r, ip).isPresent()) {
                    return Optional.empty();
                }
                ips.add(ip);
                if (pool == null) {
                    pool = rangeByFamily.get(f).pool();
                }
            }
        }
        if (pool == null) {
            return Optional.empty();
        }
        if (ips.size() < wanted.size() && r.requestedIps().isEmpty()) {
            // A family the Service gained: from the same pool, so it stays one allocation.
            List<IpAddress> grown = new ArrayList<>();
            for (IpFamily f : wanted) {
                IpAddress ip = byFamily.get(f);
                if (ip == null && pool.hasFamily(f)) {
                    ip = pick(pool, f, r, List.of()).orElse(null);
                }
                if (ip != null) {
                    grown.add(ip);
                } else if (r.familyPolicy() == FamilyPolicy.REQUIRE_DUAL_STACK) {
                    return Optional.empty();
                }
            }
            ips = grown;
        }
        if (ips.equals(held.ips()) && pool.name().equals(held.pool()) && r.sharingKey().equals(held.sharingKey())
                && r.backendKey().equals(held.backendKey()) && r.ports().equals(held.ports())) {
            return Optional.of(held.allocated());
        }
        unhold(r.key(), held);
        return Optional.of(hold(r, pool.name(), ips));
    }

    // ---- fresh allocation ----

    private AllocationResult assignRequested(ServiceRequest r) {
        Optional<String> problem = FamilyRules.requestedProblem(r);
        if (problem.isPresent()) {
            return new Pending(problem.get());
        }
        PoolState pool = null;
        for (IpAddress ip : r.requestedIps()) {
            Optional<RangeRef> range = rangeOf(ip);
            if (range.isEmpty()) {
                return new Pending("requested IP " + ip + " is not in any pool");
            }
            PoolState p = range.get().pool();
            if (r.pool().isPresent() && !r.pool().get().equals(p.name())) {
                return new Pending("requested IP " + ip + " is in pool " + p.name() + ", not in pool " + r.pool().get());
            }
            if (pool != null && pool != p) {
                return new Pending("requested IPs " + r.requestedIps() + " are in different pools ("
                        + pool.name() + ", " + p.name() + ")");
            }
            pool = p;
            if (range.get().runs().skipped(ip)) {
                return new Pending("requested IP " + ip + " ends in .0 or .255, which pool " + p.name()
                        + " does not hand out (avoidBuggyIPs)");
            }
            Optional<String> conflict = conflict(r, ip);
            if (conflict.isPresent()) {
                return new Pending("requested IP " + conflict.get());
            }
        }
        return hold(r, pool.name(), FamilyRules.inOrder(r, r.requestedIps()));
    }

    private AllocationResult assignFrom(ServiceRequest r, List<PoolState> order, List<IpAddress> previous) {
        List<IpFamily> wanted = FamilyRules.wanted(r);
        for (PoolState p : order) {
            Optional<List<IpAddress>> ips = pickAll(p, wanted, r, previous);
            if (ips.isPresent()) {
                return hold(r, p.name(), ips.get());
            }
        }
        if (wanted.size() > 1 && r.familyPolicy() == FamilyPolicy.PREFER_DUAL_STACK) {
            // No pool gives both: one family, the Service's first one that any pool can give.
            for (IpFamily f : wanted) {
                for (PoolState p : order) {
                    Optional<List<IpAddress>> ips = pickAll(p, List.of(f), r, previous);
                    if (ips.isPresent()) {
                        return hold(r, p.name(), ips.get());
                    }
                }
            }
        }
        return new Pending(exhausted(r, order, wanted));
    }

    private static String exhausted(ServiceRequest r, List<PoolState> order, List<IpFamily> wanted) {
        String families = wanted.stream().map(IpFamily::name).collect(Collectors.joining(" and "));
        if (order.size() == 1) {
            PoolState p = order.get(0);
            List<String> missing = wanted.stream().filter(f -> !p.hasFamily(f)).map(IpFamily::name).toList();
            if (!missing.isEmpty() && (r.familyPolicy() != FamilyPolicy.PREFER_DUAL_STACK || missing.size() == wanted.size())) {
                return "pool " + p.name() + " has no " + String.join(" and ", missing) + " addresses for service " + r.key();
            }
            return "no available " + families + " addresses in pool " + p.name() + " for service " + r.key();
        }
        return "no available " + families + " addresses for service " + r.key() + " in pools "
                + order.stream().map(PoolState::name).collect(Collectors.joining(", "));
    }

    private Optional<List<IpAddress>> pickAll(PoolState p, List<IpFamily> families, ServiceRequest r, List<IpAddress> previous) {
        if (families.size() == 1) {
            IpFamily f = families.get(0);
            return p.hasFamily(f) ? pick(p, f, r, previous).map(List::of) : Optional.empty();
        }
        List<IpAddress> ips = new ArrayList<>(families.size());
        for (IpFamily f : families) {
            if (!p.hasFamily(f)) {
                return Optional.empty();
            }
            Optional<IpAddress> ip = pick(p, f, r, previous);
            if (ip.isEmpty()) {
                return Optional.empty();
            }
            ips.add(ip.get());
        }
        return Optional.of(ips);
    }

    /**
     * One address of family {@code f} from pool {@code p}: the Service's previous address
     * when it is still in this pool, else (with a sharing key) the lowest address already
     * held under that key that the Service may share, else the lowest free address.
     */
    private Optional<IpAddress> pick(PoolState p, IpFamily f, ServiceRequest r, List<IpAddress> previous) {
        for (IpAddress ip : previous) {
            if (ip.family() == f) {
                Optional<RangeRef> range = rangeOf(ip);
                if (range.isPresent() && range.get().pool() == p && conflict(r, ip).isEmpty()) {
                    return Optional.of(ip);
                }
            }
        }
        if (r.sharingKey().isPresent()) {
            for (IpAddress ip : holders.sharedUnder(r.sharingKey().get())) {
                if (ip.family() == f && conflict(r, ip).isEmpty()) {
                    Optional<RangeRef> range = rangeOf(ip);
                    if (range.isPresent() && range.get().pool() == p) {
                        return Optional.of(ip);
                    }
                }
            }
        }
        return p.firstFree(f);
    }

    // ---- sharing ----

    /** Why {@code r} may not hold {@code ip} next to its current holders, or empty when it may. */
    private Optional<String> conflict(ServiceRequest r, IpAddress ip) {
        String outside = inUse.get(ip);
        if (outside != null) {
            return Optional.of(ip + " is in use by a host outside the cluster (" + outside + ")");
        }
        for (String other : holders.holdersOf(ip)) {
            Optional<String> why = conflictWith(r, ip, other);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    private Optional<String> conflictWith(ServiceRequest r, IpAddress ip, String other) {
        if (other.equals(r.key())) {
            return Optional.empty();
        }
        return sharingProblem(r, services.get(other)).map(why -> ip + " is in use by " + other + ", " + why);
    }

    private static Optional<String> sharingProblem(ServiceRequest r, Holding other) {
        if (r.sharingKey().isEmpty() || other.sharingKey().isEmpty()) {
            return Optional.of("sharing needs the same allow-shared-ip key on both Services");
        }
        if (!r.sharingKey().equals(other.sharingKey())) {
            return Optional.of("which has sharing key \"" + other.sharingKey().get()
                    + "\", not \"" + r.sharingKey().get() + "\"");
        }
        if (!r.backendKey().equals(other.backendKey())) {
            return Optional.of("which selects other pods (externalTrafficPolicy Local needs the same selector)");
        }
        for (Port p : r.ports()) {
            if (other.ports().contains(p)) {
                return Optional.of("which also uses " + p.protocol() + "/" + p.port());
            }
        }
        return Optional.empty();
    }

    // ---- bookkeeping ----

    private Allocated hold(ServiceRequest r, String pool, List<IpAddress> ips) {
        Holding h = new Holding(pool, List.copyOf(ips), r.sharingKey(), r.backendKey(), r.ports());
        services.put(r.key(), h);
        for (IpAddress ip : h.ips()) {
            holdAddress(r.key(), ip, h.sharingKey());
        }
        return h.allocated();
    }

    private void unhold(String key, Holding h) {
        services.remove(key);
        for (IpAddress ip : h.ips()) {
            releaseAddress(key, ip, h.sharingKey());
        }
    }

    private void holdAddress(String key, IpAddress ip, Optional<String> sharingKey) {
        if (holders.hold(key, ip, sharingKey)) {
            RangeRef range = rangeOf(ip).orElseThrow();
            if (!inUse.containsKey(ip)) {
                range.runs().add(ip); // an in-use address is in the runs already
            }
            range.pool().count(range.runs(), ip, +1);
        }
    }

    private void releaseAddress(String key, IpAddress ip, Optional<String> sharingKey) {
        if (!holders.release(key, ip, sharingKey)) {
            return;
        }
        Optional<RangeRef> range = rangeOf(ip);
        if (range.isPresent()) {
            if (!inUse.containsKey(ip)) {
                range.get().runs().remove(ip, this::taken);
            }
            range.get().pool().count(range.get().runs(), ip, -1);
        }
    }
}
