package dev.ferrite.speaker.election;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Selector;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * contain the Service's pool and its service selectors match the Service) ∩ nodes without
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
 */
public final class Election {

    /** Nodes carrying this label never announce (the same label cloud providers honour). */
    public static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";

    private Election() {
    }

    /** Elects every IP of every Service; Services sharing an IP are elected together. */
    public static SortedMap<IpAddress, ElectionResult> electAll(ClusterView view, Collection<LoadBalancerService> services) {
        SortedMap<IpAddress, List<LoadBalancerService>> byIp = new TreeMap<>();
        for (LoadBalancerService s : services) {
            for (IpAddress ip : new LinkedHashSet<>(s.ips())) {
                byIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(s);
            }
        }
        Round round = new Round(view);
        SortedMap<IpAddress, ElectionResult> results = new TreeMap<>();
        byIp.forEach((ip, sharing) -> results.put(ip, round.elect(ip, sharing)));
        return results;
    }

    /** Elects the announcer of {@code ip}, held by every Service in {@code sharing}. */
    public static ElectionResult elect(ClusterView view, IpAddress ip, List<LoadBalancerService> sharing) {
        return new Round(view).elect(ip, sharing);
    }

    /**
     * One election over one view. Remembers what does not change from IP to IP — the
     * candidates (with their hash keys) of Services that differ only in name and IPs — so that
     * re-electing every IP after a membership change stays cheap.
     */
    private static final class Round {
        private final ClusterView view;
        private final Map<CandidateKey, Candidates> candidates = new HashMap<>();

        Round(ClusterView view) {
            this.view = view;
        }

        ElectionResult elect(IpAddress ip, List<LoadBalancerService> sharing) {
            if (sharing.isEmpty()) {
                return new ElectionResult.NoOwner(ip, "no Service holds " + ip);
            }
            Candidates common = null;
            List<String> keys = new ArrayList<>();
            for (LoadBalancerService service : sharing) {
                keys.add(service.key());
                Candidates c = candidates.computeIfAbsent(CandidateKey.of(service), k -> candidates(view, service));
                if (c.nodes().isEmpty()) {
                    // The reason names the Service it was first computed for; name this one instead.
                    return new ElectionResult.NoOwner(ip, candidates(view, service).emptyBecause());
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
                return new ElectionResult.NoOwner(ip,
                        "services " + String.join(", ", keys) + " share " + ip + " but have no candidate node in common");
            }
            String owner = highestScore(common, ip);
            return new ElectionResult.Announcement(ip, owner, interfacesOn(view, owner, sharing), keys,
                    refreshOn(view, owner, sharing));
        }
    }

    /** Everything about a Service that its candidates depend on. */
    private record CandidateKey(String pool, Map<String, String> labels, boolean local, Set<String> endpoints) {
        static CandidateKey of(LoadBalancerService s) {
            return new CandidateKey(s.pool(), s.labels(), s.localTrafficPolicy(),
                    s.localTrafficPolicy() ? s.nodesWithReadyEndpoints() : Set.of());
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

    /** Applies the filters in order, remembering which one left nobody, for the operator. */
    private static Candidates candidates(ClusterView view, LoadBalancerService service) {
        List<Advertisement> covering = covering(view.advertisements(), service);
        if (covering.isEmpty()) {
            return Candidates.none("no L2Advertisement covers pool " + service.pool()
                    + " with a service selector matching service " + service.key());
        }
        Set<String> nodes = new HashSet<>(view.liveMembers());
        if (nodes.isEmpty()) {
            return Candidates.none("no live speaker");
        }
        if (filter(nodes, n -> selectedByAny(view.nodes().get(n), covering))) {
            return Candidates.none("no live speaker runs on a node selected by L2Advertisement "
                    + names(covering) + " for service " + service.key());
        }
        if (filter(nodes, n -> !view.nodes().get(n).labels().containsKey(EXCLUDE_LABEL))) {
            return Candidates.none("every live selected node for service " + service.key()
                    + " is labelled " + EXCLUDE_LABEL);
        }
        if (filter(nodes, n -> !view.nodes().get(n).networkUnavailable())) {
            return Candidates.none("every live selected node for service " + service.key()
                    + " has condition NetworkUnavailable");
        }
        if (service.localTrafficPolicy()
                && filter(nodes, service.nodesWithReadyEndpoints()::contains)) {
            return Candidates.none("service " + service.key()
                    + " has externalTrafficPolicy Local and no live selected node has a ready endpoint");
        }
        Map<String, Long> preferences = new HashMap<>();
        for (String n : nodes) {
            ClusterNode node = view.nodes().get(n);
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

    /** Keeps the nodes passing {@code keep}; true when none is left. */
    private static boolean filter(Set<String> nodes, Predicate<String> keep) {
        nodes.removeIf(keep.negate());
        return nodes.isEmpty();
    }

    private static List<Advertisement> covering(List<Advertisement> advertisements, LoadBalancerService service) {
        List<Advertisement> out = new ArrayList<>();
        for (Advertisement a : advertisements) {
            if (a.pools().contains(service.pool()) && Selector.anyMatches(a.serviceSelectors(), service.labels())) {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean selectedByAny(ClusterNode node, List<Advertisement> advertisements) {
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
     * Union of the interfaces of every advertisement that covers one of the Services and
     * selects the owner. An advertisement without interfaces means "all suitable
     * interfaces", which absorbs any list, so the result is then empty.
     */
    private static Set<String> interfacesOn(ClusterView view, String owner, List<LoadBalancerService> sharing) {
        ClusterNode node = view.nodes().get(owner);
        Set<String> out = new TreeSet<>();
        for (LoadBalancerService service : sharing) {
            for (Advertisement a : covering(view.advertisements(), service)) {
                if (!Selector.anyMatches(a.nodeSelectors(), node.labels())) {
                    continue;
                }
                if (a.interfaces().isEmpty()) {
                    return Set.of();
                }
                out.addAll(a.interfaces());
            }
        }
        return out;
    }

    /** The shortest refresh period of the advertisements that cover one of the Services and select the owner. */
    private static Optional<Duration> refreshOn(ClusterView view, String owner, List<LoadBalancerService> sharing) {
        ClusterNode node = view.nodes().get(owner);
        Optional<Duration> shortest = Optional.empty();
        for (LoadBalancerService service : sharing) {
            for (Advertisement a : covering(view.advertisements(), service)) {
                if (a.garpRefresh().isPresent() && Selector.anyMatches(a.nodeSelectors(), node.labels())
                        && (shortest.isEmpty() || a.garpRefresh().get().compareTo(shortest.get()) < 0)) {
                    shortest = a.garpRefresh();
                }
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
