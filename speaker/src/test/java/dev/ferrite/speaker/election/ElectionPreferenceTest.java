package dev.ferrite.speaker.election;

import static dev.ferrite.speaker.election.ElectionInputs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Selector;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.election.ElectionInputs.Svc;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.OwnershipPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code preferredNodeSelectors}: heavier preferences win, equal ones fall back to the rendezvous hash. */
class ElectionPreferenceTest {

    private static final Selector ZONE_A = new Selector(Map.of("zone", "a"), List.of());
    private static final Selector ZONE_B = new Selector(Map.of("zone", "b"), List.of());
    private static final Selector FAST = new Selector(Map.of("nic", "fast"), List.of());

    private static Advertisement preferring(List<Selector> nodeSelectors, Advertisement.Preference... preferences) {
        return new Advertisement("l2", Set.of("lab"), nodeSelectors, List.of(), List.of(), List.of(preferences),
                Optional.empty());
    }

    private static NodeView node(String name, String zone, boolean fast) {
        Map<String, String> labels = new HashMap<>();
        labels.put("zone", zone);
        if (fast) {
            labels.put("nic", "fast");
        }
        return ElectionInputs.node(name, labels);
    }

    private static Svc service(IpAddress ip) {
        return ElectionInputs.cluster("default/web-" + ip, Map.of(), List.of(ip));
    }

    private static String owner(ElectionInputs view, IpAddress ip) {
        Svc s = service(ip);
        return view.owner(List.of(s), s, ip);
    }

    private static OwnershipPlan.Owner decision(ElectionInputs view, IpAddress ip) {
        return assertInstanceOf(OwnershipPlan.Owner.class, view.electOne(service(ip)));
    }

    /** Every IP's owner, for Services of one IP each. */
    private static Map<IpAddress, String> owners(OwnershipPlan plan) {
        Map<IpAddress, String> out = new HashMap<>();
        plan.byService().values().forEach(ips -> ips.forEach((ip, d) -> out.put(ip, ((OwnershipPlan.Owner) d).node())));
        return out;
    }

    private static final List<NodeView> NODES = List.of(
            node("a1", "a", false), node("a2", "a", true), node("b1", "b", false), node("b2", "b", true));
    private static final Set<String> ALL = Set.of("a1", "a2", "b1", "b2");

    @Test
    void aPreferredNodeWinsEveryIpWhileItIsACandidate() {
        ElectionInputs view = new ElectionInputs(ALL, NODES, List.of(preferring(List.of(), new Advertisement.Preference(10, ZONE_B))));
        for (int i = 1; i <= 200; i++) {
            String owner = owner(view, ip("198.18.0." + i));
            assertTrue(owner.startsWith("b"), "198.18.0." + i + " went to " + owner);
        }
    }

    @Test
    void weightsOfMatchingPreferencesAddUp() {
        // b2 matches zone b (10) and fast (5): 15 beats a2's 5 and b1's 10.
        ElectionInputs view = new ElectionInputs(ALL, NODES, List.of(preferring(List.of(),
                new Advertisement.Preference(10, ZONE_B), new Advertisement.Preference(5, FAST))));
        for (int i = 1; i <= 50; i++) {
            assertEquals("b2", owner(view, ip("198.18.1." + i)));
        }
    }

    @Test
    void theHeavierPreferenceWinsOverTheLighterOne() {
        ElectionInputs view = new ElectionInputs(ALL, NODES, List.of(preferring(List.of(),
                new Advertisement.Preference(20, ZONE_A), new Advertisement.Preference(10, ZONE_B))));
        for (int i = 1; i <= 50; i++) {
            assertTrue(owner(view, ip("198.18.2." + i)).startsWith("a"));
        }
    }

    @Test
    void withoutALivePreferredNodeAnyCandidateAnnounces() {
        ElectionInputs view = new ElectionInputs(Set.of("a1", "a2"), NODES, List.of(preferring(List.of(),
                new Advertisement.Preference(10, ZONE_B))));
        assertTrue(owner(view, ip("198.18.3.1")).startsWith("a"));
    }

    @Test
    void aPreferenceNeverAddsANodeTheNodeSelectorsLeaveOut() {
        // Only zone a may announce; preferring zone b changes nothing.
        ElectionInputs view = new ElectionInputs(ALL, NODES, List.of(preferring(List.of(ZONE_A),
                new Advertisement.Preference(100, ZONE_B))));
        for (int i = 1; i <= 50; i++) {
            assertTrue(owner(view, ip("198.18.4." + i)).startsWith("a"));
        }
    }

    @Test
    void amongEqualPreferencesIpsSpreadByTheRendezvousHash() {
        ElectionInputs view = new ElectionInputs(ALL, NODES, List.of(preferring(List.of(), new Advertisement.Preference(10, ZONE_B))));
        Set<String> owners = new HashSet<>();
        for (int i = 1; i <= 100; i++) {
            owners.add(owner(view, ip("198.18.5." + i)));
        }
        assertEquals(Set.of("b1", "b2"), owners);
    }

    /**
     * Property: with random preferences and a random node leaving, every IP whose owner stayed
     * keeps its owner; only the leaver's IPs move, and each to a node of the highest preference
     * left. And the result does not depend on the order the inputs are listed in.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void whenANodeLeavesOnlyTheIpsItOwnedMove(long seed) {
        Random random = new Random(seed);
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            nodes.add(node("node-" + i, random.nextBoolean() ? "a" : "b", random.nextBoolean()));
        }
        Advertisement ad = preferring(List.of(), new Advertisement.Preference(1 + random.nextInt(100), ZONE_A),
                new Advertisement.Preference(1 + random.nextInt(100), FAST));
        Set<String> live = nodes.stream().map(NodeView::name).collect(Collectors.toSet());
        List<Svc> services = IntStream.range(0, 300)
                .mapToObj(i -> service(IpAddress.ofV4(0xC6120000L + i))).toList();
        ElectionInputs before = new ElectionInputs(live, nodes, List.of(ad));
        Map<IpAddress, String> was = owners(before.plan(services));

        String leaving = "node-" + random.nextInt(nodes.size());
        Set<String> remaining = new HashSet<>(live);
        remaining.remove(leaving);
        List<NodeView> shuffled = new ArrayList<>(nodes);
        java.util.Collections.shuffle(shuffled, random);
        ElectionInputs after = new ElectionInputs(remaining, shuffled, List.of(ad));
        Map<IpAddress, String> now = owners(after.plan(services));

        long best = nodes.stream().filter(n -> remaining.contains(n.name()))
                .mapToLong(n -> ad.preferenceScore(n.labels())).max().orElseThrow();
        Map<String, NodeView> byName = nodes.stream().collect(Collectors.toMap(NodeView::name, n -> n));
        assertEquals(300, was.size());
        for (IpAddress ip : was.keySet()) {
            String oldOwner = was.get(ip);
            String newOwner = now.get(ip);
            if (oldOwner.equals(leaving)) {
                assertEquals(best, ad.preferenceScore(byName.get(newOwner).labels()),
                        ip + " moved to " + newOwner + ", not to a node of the highest preference left");
            } else {
                assertEquals(oldOwner, newOwner, ip + " moved although its owner " + oldOwner + " stayed");
            }
        }
    }

    @Test
    void theShortestRefreshOfTheAdvertisementsThatSelectTheOwnerApplies() {
        Advertisement slow = new Advertisement("slow", Set.of("lab"), List.of(), List.of(), List.of(), List.of(),
                Optional.of(java.time.Duration.ofSeconds(60)));
        Advertisement fastZoneB = new Advertisement("fast", Set.of("lab"), List.of(ZONE_B), List.of(), List.of(), List.of(),
                Optional.of(java.time.Duration.ofSeconds(5)));
        ElectionInputs onlyA = new ElectionInputs(Set.of("a1", "a2"), NODES, List.of(slow, fastZoneB));
        ElectionInputs onlyB = new ElectionInputs(Set.of("b1", "b2"), NODES, List.of(slow, fastZoneB));
        IpAddress vip = ip("198.18.6.1");
        OwnershipPlan.Owner a = decision(onlyA, vip);
        OwnershipPlan.Owner b = decision(onlyB, vip);
        assertEquals(Optional.of(java.time.Duration.ofSeconds(60)), a.garpRefresh(), "fast does not select zone a");
        assertEquals(Optional.of(java.time.Duration.ofSeconds(5)), b.garpRefresh());
    }
}
