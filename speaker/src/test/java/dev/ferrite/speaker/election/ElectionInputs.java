package dev.ferrite.speaker.election;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.Pool;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The election's inputs for tests: live speakers, Nodes and advertisements, elected over
 * Services whose addresses lie in one pool, {@value #POOL} (198.18.0.0/15 and 2001:db8::/32).
 */
record ElectionInputs(Set<String> live, List<NodeView> nodes, List<Advertisement> advertisements) {

    static final String POOL = "lab";

    ElectionInputs {
        live = Set.copyOf(live);
        nodes = List.copyOf(nodes);
        advertisements = List.copyOf(advertisements);
    }

    static ElectionInputs of(Set<String> live, List<NodeView> nodes, Advertisement... advertisements) {
        return new ElectionInputs(live, nodes, List.of(advertisements));
    }

    /** A Service of the election, and the nodes with its ready endpoints (read for {@code Local} only). */
    record Svc(ServiceView view, Set<String> readyOn) {
        IpAddress firstIp() {
            return view.ips().get(0);
        }
    }

    static Svc cluster(String key, Map<String, String> labels, List<IpAddress> ips) {
        return new Svc(view(key, labels, ips, false), Set.of());
    }

    static Svc local(String key, Map<String, String> labels, List<IpAddress> ips, Set<String> readyOn) {
        return new Svc(view(key, labels, ips, true), readyOn);
    }

    private static ServiceView view(String key, Map<String, String> labels, List<IpAddress> ips, boolean local) {
        String[] parts = key.split("/", 2);
        return new ServiceView(new ServiceKey(parts[0], parts[1]), "uid-" + key, labels, ips, local);
    }

    static NodeView node(String name, Map<String, String> labels) {
        return new NodeView(name, labels, false, List.of());
    }

    static NodeView unavailable(String name, boolean networkUnavailable) {
        return new NodeView(name, Map.of(), networkUnavailable, List.of());
    }

    static List<NodeView> plainNodes(String... names) {
        return Arrays.stream(names).map(n -> node(n, Map.of())).toList();
    }

    ElectionInputs withLiveMembers(Set<String> members) {
        return new ElectionInputs(members, nodes, advertisements);
    }

    ClusterSnapshot snapshot(List<Svc> services) {
        Map<String, NodeView> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        Map<ServiceKey, Set<String>> ready = new HashMap<>();
        services.forEach(s -> ready.put(s.view().key(), s.readyOn()));
        Pool lab = new Pool(POOL, Map.of(), List.of(IpRange.ofPrefix(ip("198.18.0.0"), 15),
                IpRange.ofPrefix(ip("2001:db8::"), 32)), true, false, Optional.empty());
        return new ClusterSnapshot(services.stream().map(Svc::view).toList(), byName, ready,
                Config.of(Map.of(POOL, lab), advertisements));
    }

    OwnershipPlan plan(List<Svc> services) {
        return Election.plan(snapshot(services), live);
    }

    /** The decision for the first IP of {@code service}, elected alone. */
    OwnershipPlan.Decision electOne(Svc service) {
        return decision(List.of(service), service, service.firstIp());
    }

    /** The decision for {@code ip} of {@code service}, elected together with {@code services}. */
    OwnershipPlan.Decision decision(List<Svc> services, Svc service, IpAddress ip) {
        return plan(services).decision(service.view().key(), ip);
    }

    /** The owner elected for {@code ip} of {@code service}; fails when it has none. */
    String owner(List<Svc> services, Svc service, IpAddress ip) {
        OwnershipPlan.Decision d = decision(services, service, ip);
        if (d instanceof OwnershipPlan.Owner o) {
            return o.node();
        }
        throw new AssertionError(ip + " has no owner: " + d);
    }

    static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }
}
