package dev.ferrite.speaker.election;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.Selector;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.OwnershipPlan.Decision;
import dev.ferrite.speaker.model.OwnershipPlan.Owner;
import dev.ferrite.speaker.model.OwnershipPlan.Unowned;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The election rule: which node announces a service IP. Every speaker runs it on its own
 * copy of the same inputs and, holding the same view, reaches the same answer without
 * talking to the others.
 *
 * <p>Candidates for an IP are, for every Service holding that IP:
 * live speakers ∩ nodes selected by an advertisement that covers the Service (its pools
 * contain the IP's pool and its service selectors match the Service) ∩ nodes without
 * the label {@value #EXCLUDE_LABEL} ∩ nodes whose {@code NetworkUnavailable} condition is not
 * true ∩ (for {@code externalTrafficPolicy: Local}) nodes with a ready endpoint. Services
 * sharing an IP must agree, so the IP's candidates are the intersection over its Services.
 *
 * <p>The winner is the candidate with the highest preference — the sum of the weights of the
 * {@code preferredNodeSelectors} it matches, over the advertisements that cover the Service and
 * select the node (for Services sharing an IP, the highest any of them gives it; MetalLB's rule)
 * — and among equal preferences the highest rendezvous score {@link #score}. Because neither
 * depends on the other candidates, a node leaving moves only the IPs it owned, and a node
 * joining takes only the IPs it now wins.
 *
 * <p>It reads the speaker's model as the informers built it ({@code ServiceView},
 * {@code NodeView}, the validated {@code Config}) and answers with the {@code OwnershipPlan}
 * the ownership loop and the announcer act on: no record of its own in between.
 */
public final class Election {

    /** Nodes carrying this label never announce (the same label cloud providers honour). */
    public static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";

    private Election() {
    }

    /**
     * Elects every IP of every Service of {@code snapshot}, with {@code live} as the live
     * speakers, and files the outcome per Service. Services sharing an IP are elected together.
     * The pool of an IP is the configured pool holding it ({@link Config#poolOf}): pools never
     * overlap, so the address alone decides, and a Service is announced as soon as its address
     * is in its status. An IP in no pool (its pool was deleted or shrunk, or another
     * implementation assigned it) has no owner. Pure: no client, no clock; linear in the number
     * of Service IPs.
     */
    public static OwnershipPlan plan(ClusterSnapshot snapshot, Set<String> live) {
        SortedMap<IpAddress, List<ServiceView>> byIp = new TreeMap<>();
        for (ServiceView s : snapshot.services()) {
            for (IpAddress ip : new LinkedHashSet<>(s.ips())) {
                byIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(s);
            }
        }
        Round round = new Round(snapshot, live);
        Map<IpAddress, Decision> decisions = new HashMap<>();
        byIp.forEach((ip, sharing) -> decisions.put(ip, round.elect(ip, sharing)));
        SortedMap<ServiceKey, SortedMap<IpAddress, Decision>> byService = new TreeMap<>();
        for (ServiceView s : snapshot.services()) {
            SortedMap<IpAddress, Decision> ips = new TreeMap<>();
            for (IpAddress ip : s.ips()) {
                ips.put(ip, decisions.get(ip));
            }
            byService.put(s.key(), ips);
        }
        return new OwnershipPlan(byService);
    }

    /**
     * One election over one snapshot and one live set. Remembers what does not change from IP
     * to IP — the candidates (with their hash keys) of Services that differ only in name and
     * IPs — so that re-electing every IP after a membership change stays cheap.
     */
    private static final class Round {
        private final ClusterSnapshot snapshot;
        private final Set<String> live;
        private final Map<CandidateKey, Candidates> candidates = new HashMap<>();

        Round(ClusterSnapshot snapshot, Set<String> live) {
            this.snapshot = snapshot;
            this.live = live;
        }

        Decision elect(IpAddress ip, List<ServiceView> sharing) {
            Optional<String> pool = snapshot.config().poolOf(ip);
            if (pool.isEmpty()) {
                return new Unowned(ip + " of service " + sharing.get(0).key() + " is in no IPAddressPool");
            }
            Candidates common = null;
            List<String> keys = new ArrayList<>();
            for (ServiceView service : sharing) {
                keys.add(service.key().toString());
                Candidates c = candidates.computeIfAbsent(CandidateKey.of(pool.get(), service, endpoints(service)),
                        k -> candidates(k, service));
                if (c.nodes().isEmpty()) {
                    // The reason names the Service it was first computed for; name this one instead.
                    return new Unowned(candidates(CandidateKey.of(pool.get(), service, endpoints(service)), service)
                            .emptyBecause());
                }
                if (common == null) {
                    common = c;
                } else {
                    Map<String, Long> both = new HashMap<>();
                    for (String node : common.nodes()) {
                        if (c.nodes().contains(node)) {
                            both.put(node, Math.max(common.preferenceOf(node), c.preferenceOf(node)));
                        }
                    }
                    common = Candidates.of(both);
                }
            }
            if (common.nodes().isEmpty()) {
                return new Unowned(
                        "services " + String.join(", ", keys) + " share " + ip + " but have no candidate node in common");
            }
            String owner = highestScore(common, ip);
            List<Advertisement> selecting = new ArrayList<>();
            NodeView node = snapshot.nodes().get(owner);
            for (ServiceView service : sharing) {
                for (Advertisement a : covering(pool.get(), service)) {
                    if (Selector.anyMatches(a.nodeSelectors(), node.labels())) {
                        selecting.add(a);
                    }
                }
            }
            return new Owner(owner, interfaces(selecting), shortestRefresh(selecting));
        }

        private Set<String> endpoints(ServiceView service) {
            return service.localTrafficPolicy() ? snapshot.readyEndpointNodes(service.key()) : Set.of();
        }

        /** Applies the filters in order, remembering which one left nobody, for the operator. */
        private Candidates candidates(CandidateKey key, ServiceView service) {
            List<Advertisement> covering = covering(key.pool(), service);
            if (covering.isEmpty()) {
                return Candidates.none("no L2Advertisement covers pool " + key.pool()
                        + " with a service selector matching service " + service.key());
            }
            Set<String> nodes = new HashSet<>(live);
            if (nodes.isEmpty()) {
                return Candidates.none("no live speaker");
            }
            Map<String, NodeView> known = snapshot.nodes();
            if (filter(nodes, n -> selectedByAny(known.get(n), covering))) {
                return Candidates.none("no live speaker runs on a node selected by L2Advertisement "
                        + names(covering) + " for service " + service.key());
            }
            if (filter(nodes, n -> !known.get(n).labels().containsKey(EXCLUDE_LABEL))) {
                return Candidates.none("every live selected node for service " + service.key()
                        + " is labelled " + EXCLUDE_LABEL);
            }
            if (filter(nodes, n -> !known.get(n).networkUnavailable())) {
                return Candidates.none("every live selected node for service " + service.key()
                        + " has condition NetworkUnavailable");
            }
            if (service.localTrafficPolicy() && filter(nodes, key.endpoints()::contains)) {
                return Candidates.none("service " + service.key()
                        + " has externalTrafficPolicy Local and no live selected node has a ready endpoint");
            }
            Map<String, Long> preferences = new HashMap<>();
            for (String n : nodes) {
                NodeView node = known.get(n);
                long score = 0;
                for (Advertisement a : covering) {
                    if (Selector.anyMatches(a.nodeSelectors(), node.labels())) {
                        score += a.preferenceScore(node.labels());
                    }
                }
                preferences.put(n, score);
            }
            return Candidates.of(preferences);
        }

        /** The advertisements whose pools hold {@code pool} and whose service selectors match the Service. */
        private List<Advertisement> covering(String pool, ServiceView service) {
            List<Advertisement> out = new ArrayList<>();
            for (Advertisement a : snapshot.config().advertisements()) {
                if (a.pools().contains(pool) && Selector.anyMatches(a.serviceSelectors(), service.labels())) {
                    out.add(a);
                }
            }
            return out;
        }
    }

    /** Everything about a Service that its candidates depend on. */
    private record CandidateKey(String pool, Map<String, String> labels, boolean local, Set<String> endpoints) {
        static CandidateKey of(String pool, ServiceView s, Set<String> endpoints) {
            return new CandidateKey(pool, s.labels(), s.localTrafficPolicy(), endpoints);
        }
    }

    /**
     * The rendezvous score of {@code node} for {@code ip}:
     * {@code mix(mix(fnv1a64(UTF-8 name)) ^ mix(hi ^ mix(lo ^ f)))} where {@code hi}/{@code lo}
     * are the IP's upper and lower 64 bits (IPv4 in the low 32 bits of {@code lo}), {@code f}
     * is 4 for IPv4 and 6 for IPv6, {@code fnv1a64} is 64-bit FNV-1a and {@code mix} is the
     * SplitMix64 finalizer. Fixed here so that every speaker version computes the same owner;
     * cheap enough (a few nanoseconds) to re-elect 1,000 nodes × 10,000 IPs within a
     * failover budget.
     */
    public static long score(String node, IpAddress ip) {
        return mix(nodeKey(node) ^ ipKey(ip));
    }

    static long nodeKey(String node) {
        long h = 0xcbf29ce484222325L;
        for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    static long ipKey(IpAddress ip) {
        return mix(ip.hi() ^ mix(ip.lo() ^ (ip.family() == IpFamily.IPv4 ? 4 : 6)));
    }

    /** SplitMix64's finalizer: a bijection on 64 bits whose every output bit depends on every input bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The highest preference wins; among equal preferences the highest unsigned rendezvous score,
     * and the lexically smaller name breaks an (unlikely) tie.
     */
    private static String highestScore(Candidates c, IpAddress ip) {
        long ipKey = ipKey(ip);
        String best = null;
        long bestPreference = 0;
        long bestScore = 0;
        for (int i = 0; i < c.names().length; i++) {
            long preference = c.preferences()[i];
            long s = mix(c.keys()[i] ^ ipKey);
            int p = best == null ? 1 : Long.compare(preference, bestPreference);
            int h = best == null ? 1 : Long.compareUnsigned(s, bestScore);
            if (p > 0 || (p == 0 && (h > 0 || (h == 0 && c.names()[i].compareTo(best) < 0)))) {
                best = c.names()[i];
                bestPreference = preference;
                bestScore = s;
            }
        }
        return best;
    }

    /**
     * The candidate nodes with their preference (the sum of the weights of the
     * {@code preferredNodeSelectors} they match in the advertisements that cover the Service and
     * select them), also as parallel arrays of names, hash keys and preferences for the hot loop.
     */
    private record Candidates(Map<String, Long> preferenceByNode, String[] names, long[] keys, long[] preferences,
            String emptyBecause) {
        static Candidates none(String why) {
            return new Candidates(Map.of(), new String[0], new long[0], new long[0], why);
        }

        static Candidates of(Map<String, Long> preferenceByNode) {
            String[] names = preferenceByNode.keySet().toArray(String[]::new);
            long[] keys = new long[names.length];
            long[] preferences = new long[names.length];
            for (int i = 0; i < names.length; i++) {
                keys[i] = nodeKey(names[i]);
                preferences[i] = preferenceByNode.get(names[i]);
            }
            return new Candidates(Map.copyOf(preferenceByNode), names, keys, preferences, "");
        }

        Set<String> nodes() {
            return preferenceByNode.keySet();
        }

        long preferenceOf(String node) {
            return preferenceByNode.getOrDefault(node, 0L);
        }
    }

    /** Keeps the nodes passing {@code keep}; true when none is left. */
    private static boolean filter(Set<String> nodes, Predicate<String> keep) {
        nodes.removeIf(keep.negate());
        return nodes.isEmpty();
    }

    private static boolean selectedByAny(NodeView node, List<Advertisement> advertisements) {
        if (node == null) {
            // A member whose Node object we have not seen: its labels are unknown, so it cannot be selected.
            return false;
        }
        for (Advertisement a : advertisements) {
            if (Selector.anyMatches(a.nodeSelectors(), node.labels())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Union of the interfaces of the advertisements that cover one of the Services and select
     * the owner. An advertisement without interfaces means "all suitable interfaces", which
     * absorbs any list, so the result is then empty.
     */
    private static Set<String> interfaces(List<Advertisement> selecting) {
        Set<String> out = new TreeSet<>();
        for (Advertisement a : selecting) {
            if (a.interfaces().isEmpty()) {
                return Set.of();
            }
            out.addAll(a.interfaces());
        }
        return out;
    }

    /** The shortest refresh period of the advertisements that cover one of the Services and select the owner. */
    private static Optional<Duration> shortestRefresh(List<Advertisement> selecting) {
        Optional<Duration> shortest = Optional.empty();
        for (Advertisement a : selecting) {
            if (a.garpRefresh().isPresent() && (shortest.isEmpty() || a.garpRefresh().get().compareTo(shortest.get()) < 0)) {
                shortest = a.garpRefresh();
            }
        }
        return shortest;
    }

    private static String names(List<Advertisement> advertisements) {
        List<String> n = new ArrayList<>();
        for (Advertisement a : advertisements) {
            n.add(a.name());
        }
        return String.join(", ", n);
    }
}
