package dev.ferrite.speaker.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElectionPlanTest {

    private static final IpAddress VIP = IpAddress.parse("198.18.0.200").orElseThrow();
    private static final Set<String> NODES = Set.of("node-a", "node-b", "node-c");

    private static ClusterSnapshot snapshot(List<ServiceView> services, Map<ServiceKey, Set<String>> ready,
            List<String> interfaces) {
        Map<String, NodeView> nodes = new java.util.HashMap<>();
        for (String n : NODES) {
            nodes.put(n, new NodeView(n, Map.of(), false, List.of()));
        }
        Advertisement ad = new Advertisement("all", Set.of("lab"), List.of(), interfaces, List.of());
        return new ClusterSnapshot(services, nodes, ready, Config.of(Map.of("lab", pool("lab", "198.18.0.0"),
                "other", pool("other", "198.18.1.0")), List.of(ad)));
    }

    /** A pool of the /24 starting at {@code network}. */
    private static Pool pool(String name, String network) {
        return new Pool(name, Map.of(), List.of(IpRange.ofPrefix(IpAddress.parse(network).orElseThrow(), 24)), true, false,
                java.util.Optional.empty());
    }

    private static ServiceView service(String name, boolean local, IpAddress... ips) {
        return new ServiceView(new ServiceKey("default", name), "uid-" + name, Map.of(), List.of(ips), local);
    }

    private static String top(Set<String> candidates) {
        return candidates.stream().max((x, y) -> Long.compareUnsigned(Election.score(x, VIP), Election.score(y, VIP)))
                .orElseThrow();
    }

    @Test
    void everyServiceIpGetsTheElectedOwner() {
        OwnershipPlan plan = Election.plan(snapshot(List.of(service("web", false, VIP)), Map.of(), List.of()), NODES);
        assertEquals(new OwnershipPlan.Owner(top(NODES), Set.of()), plan.decision(new ServiceKey("default", "web"), VIP));
        assertEquals(Map.of(VIP, Set.of()), plan.ownedBy(top(NODES)));
    }

    @Test
    void servicesSharingAnIpAreOwnedTogetherAndListedPerService() {
        OwnershipPlan plan = Election.plan(snapshot(List.of(service("web", false, VIP), service("dns", false, VIP)),
                Map.of(), List.of("eth1")), NODES);
        String owner = top(NODES);
        assertEquals(Set.of(new ServiceKey("default", "web"), new ServiceKey("default", "dns")),
                plan.servicesOwnedBy(owner).keySet());
        assertEquals(Map.of(VIP, Set.of("eth1")), plan.ownedBy(owner));
    }

    @Test
    void aLocalServiceWithoutReadyEndpointsHasNoOwnerAndSaysWhy() {
        ServiceView local = service("local", true, VIP);
        OwnershipPlan plan = Election.plan(snapshot(List.of(local), Map.of(local.key(), Set.of()), List.of()), NODES);
        OwnershipPlan.Decision d = plan.decision(local.key(), VIP);
        assertInstanceOf(OwnershipPlan.Unowned.class, d);
        assertTrue(((OwnershipPlan.Unowned) d).reason().contains("ready endpoint"), d.toString());
        NODES.forEach(n -> assertTrue(plan.ownedBy(n).isEmpty()));
    }

    @Test
    void aNodeThatIsNotLiveOwnsNothing() {
        String top = top(NODES);
        Set<String> rest = new java.util.TreeSet<>(NODES);
        rest.remove(top);
        OwnershipPlan plan = Election.plan(snapshot(List.of(service("web", false, VIP)), Map.of(), List.of()), rest);
        assertTrue(plan.ownedBy(top).isEmpty());
        assertEquals(Map.of(VIP, Set.of()), plan.ownedBy(top(rest)));
    }

    @Test
    void theAddressAloneNamesThePoolThatDecidesTheAdvertisement() {
        // 198.18.1.7 is in pool "other", which no advertisement covers; 198.18.0.200 in "lab", which one does
        IpAddress other = IpAddress.parse("198.18.1.7").orElseThrow();
        OwnershipPlan plan = Election.plan(snapshot(List.of(service("web", false, VIP), service("db", false, other)),
                Map.of(), List.of()), NODES);
        assertEquals(new OwnershipPlan.Owner(top(NODES), Set.of()), plan.decision(new ServiceKey("default", "web"), VIP));
        OwnershipPlan.Decision d = plan.decision(new ServiceKey("default", "db"), other);
        assertInstanceOf(OwnershipPlan.Unowned.class, d);
        assertTrue(((OwnershipPlan.Unowned) d).reason().contains("covers pool other"), d.toString());
    }

    @Test
    void anAddressInNoPoolIsNotAnnouncedAndSaysWhy() {
        IpAddress stray = IpAddress.parse("203.0.113.9").orElseThrow();
        OwnershipPlan plan = Election.plan(snapshot(List.of(service("web", false, VIP, stray)), Map.of(), List.of()),
                NODES);
        assertEquals(new OwnershipPlan.Owner(top(NODES), Set.of()), plan.decision(new ServiceKey("default", "web"), VIP));
        OwnershipPlan.Decision d = plan.decision(new ServiceKey("default", "web"), stray);
        assertEquals(new OwnershipPlan.Unowned("203.0.113.9 of service default/web is in no IPAddressPool"), d);
        NODES.forEach(n -> assertTrue(!plan.ownedBy(n).containsKey(stray)));
    }
}
