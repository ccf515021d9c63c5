package dev.ferrite.speaker.election;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Selector;
import dev.ferrite.api.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
 * <p>The winner is the candidate with the highest rendezvous score {@link #score}. Because a
 * node's score for an IP does not depend on the other candidates, a node leaving moves only
 * the IPs it owned, and a node joining takes only the IPs it now scores highest on.
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
        SortedMap<IpAddress, ElectionResult> results = new TreeMap<>();
        byIp.forEach((ip, sharing) -> results.put(ip, elect(view, ip, sharing)));
        return results;
    }

    /** Elects the announcer of {@code ip}, held by every Service in {@code sharing}. */
    public static ElectionResult elect(ClusterView view, IpAddress ip, List<LoadBalancerService> sharing) {
        if (sharing.isEmpty()) {
            return new ElectionResult.NoOwner(ip, "no Service holds " + ip);
        }
        Set<String> common = null;
        List<String> keys = new ArrayList<>();
        for (LoadBalancerService service : sharing) {
            keys.add(service.key());
            Candidates c = candidates(view, service);
            if (c.nodes().isEmpty()) {
                return new ElectionResult.NoOwner(ip, c.emptyBecause());
            }
            if (common == null) {
                common = new HashSet<>(c.nodes());
            } else {
                common.retainAll(c.nodes());
            }
        }
        if (common.isEmpty()) {
            return new ElectionResult.NoOwner(ip,
                    "services " + String.join(", ", keys) + " share " + ip + " but have no candidate node in common");
        }
        String owner = highestScore(common, ip);
        return new ElectionResult.Announcement(ip, owner, interfacesOn(view, owner, sharing), keys);
    }

    /**
     * The rendezvous score of {@code node} for {@code ip}: the first 8 bytes, read as an
     * unsigned big-endian number, of SHA-256 over the node name in UTF-8, one 0x00 byte and
     * the IP's canonical text (dotted quad, or RFC 5952 for IPv6). Fixed here so that every
     * speaker version computes the same owner.
     */
    public static long score(String node, IpAddress ip) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
        sha.update(node.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] d = sha.digest(ip.toString().getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xFF);
        }
        return v;
    }

    /** Highest unsigned score wins; the lexically smaller name breaks an (unlikely) tie. */
    private static String highestScore(Set<String> nodes, IpAddress ip) {
        String best = null;
        long bestScore = 0;
        for (String n : new TreeSet<>(nodes)) {
            long s = score(n, ip);
            if (best == null || Long.compareUnsigned(s, bestScore) > 0) {
                best = n;
                bestScore = s;
            }
        }
        return best;
    }

    private record Candidates(Set<String> nodes, String emptyBecause) {
    }

    /** Applies the filters in order, remembering which one left nobody, for the operator. */
    private static Candidates candidates(ClusterView view, LoadBalancerService service) {
        List<Advertisement> covering = covering(view.advertisements(), service);
        if (covering.isEmpty()) {
            return new Candidates(Set.of(), "no L2Advertisement covers pool " + service.pool()
                    + " with a service selector matching service " + service.key());
        }
        Set<String> nodes = new HashSet<>(view.liveMembers());
        if (nodes.isEmpty()) {
            return new Candidates(nodes, "no live speaker");
        }
        if (filter(nodes, n -> selectedByAny(view.nodes().get(n), covering))) {
            return new Candidates(nodes, "no live speaker runs on a node selected by L2Advertisement "
                    + names(covering) + " for service " + service.key());
        }
        if (filter(nodes, n -> !view.nodes().get(n).labels().containsKey(EXCLUDE_LABEL))) {
            return new Candidates(nodes, "every live selected node for service " + service.key()
                    + " is labelled " + EXCLUDE_LABEL);
        }
        if (filter(nodes, n -> !view.nodes().get(n).networkUnavailable())) {
            return new Candidates(nodes, "every live selected node for service " + service.key()
                    + " has condition NetworkUnavailable");
        }
        if (service.localTrafficPolicy()
                && filter(nodes, service.nodesWithReadyEndpoints()::contains)) {
            return new Candidates(nodes, "service " + service.key()
                    + " has externalTrafficPolicy Local and no live selected node has a ready endpoint");
        }
        return new Candidates(nodes, "");
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

    private static String names(List<Advertisement> advertisements) {
        List<String> n = new ArrayList<>();
        for (Advertisement a : advertisements) {
            n.add(a.name());
        }
        return String.join(", ", n);
    }
}
