package dev.ferrite.speaker.election;

import static dev.ferrite.speaker.election.ElectionInputs.ip;
import static dev.ferrite.speaker.election.ElectionInputs.node;
import static dev.ferrite.speaker.election.ElectionInputs.plainNodes;
import static dev.ferrite.speaker.election.ElectionInputs.unavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Selector;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.election.ElectionInputs.Svc;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ServiceKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ElectionTest {

    private static final IpAddress VIP = ip("198.18.0.200");
    private static final Advertisement ALL = advertisement("all", Set.of("lab"), List.of(), List.of(), List.of());

    private static Advertisement advertisement(String name, Set<String> pools, List<Selector> nodeSelectors,
            List<String> interfaces, List<Selector> serviceSelectors) {
        return new Advertisement(name, pools, nodeSelectors, interfaces, serviceSelectors);
    }

    private static Selector labelled(String key, String value) {
        return new Selector(Map.of(key, value), List.of());
    }

    private static ElectionInputs view(Set<String> live, List<NodeView> nodes, Advertisement... ads) {
        return ElectionInputs.of(live, nodes, ads);
    }

    private static Svc web(IpAddress... ips) {
        return ElectionInputs.cluster("default/web", Map.of("app", "web"), List.of(ips));
    }

    private static String expectedWinner(Set<String> candidates, IpAddress ip) {
        return candidates.stream()
                .max((a, b) -> Long.compareUnsigned(Election.score(a, ip), Election.score(b, ip)))
                .orElseThrow();
    }

    private static OwnershipPlan.Decision electOne(ElectionInputs view, Svc service) {
        return view.electOne(service);
    }

    private static String ownerOf(OwnershipPlan.Decision d) {
        return assertInstanceOf(OwnershipPlan.Owner.class, d).node();
    }

    @Test
    void scoreIsTheDocumentedHashSoEverySpeakerAgrees() {
        // Computed independently (Python, arbitrary-precision integers) from the formula in Election.score.
        assertEquals(Long.parseUnsignedLong("9af0811d109135a5", 16), Election.score("node-a", VIP));
        assertEquals(Long.parseUnsignedLong("073cc566f1314e9e", 16), Election.score("node-b", ip("2001:db8::1")));
    }

    @Test
    void ownerIsTheLiveCandidateWithTheHighestScore() {
        Set<String> names = Set.of("n1", "n2", "n3", "n4", "n5");
        OwnershipPlan plan = view(names, plainNodes("n1", "n2", "n3", "n4", "n5"), ALL).plan(List.of(web(VIP)));
        String owner = expectedWinner(names, VIP);
        assertEquals(new OwnershipPlan.Owner(owner, Set.of()), plan.decision(new ServiceKey("default", "web"), VIP));
        assertEquals(Map.of(VIP, Set.of()), plan.ownedBy(owner));
    }

    @Test
    void everyOrderOfTheSameInputsElectsTheSameOwner() {
        List<String> names = IntStream.range(0, 20).mapToObj(i -> "node-" + i).collect(Collectors.toList());
        Random random = new Random(7);
        String first = null;
        for (int round = 0; round < 10; round++) {
            Collections.shuffle(names, random);
            List<NodeView> nodes = names.stream().map(n -> node(n, Map.of())).toList();
            String owner = ownerOf(electOne(view(new HashSet<>(names), nodes, ALL), web(VIP)));
            if (first == null) {
                first = owner;
            }
            assertEquals(first, owner);
        }
    }

    @Test
    void nodeWithoutALiveSpeakerIsNeverElected() {
        Set<String> all = Set.of("n1", "n2", "n3");
        String winner = expectedWinner(all, VIP);
        Set<String> live = new HashSet<>(all);
        live.remove(winner);
        assertEquals(expectedWinner(live, VIP), ownerOf(electOne(view(live, plainNodes("n1", "n2", "n3"), ALL), web(VIP))));
    }

    @Test
    void liveMemberWithoutANodeObjectIsNeverElected() {
        assertEquals("n1", ownerOf(electOne(view(Set.of("ghost", "n1"), plainNodes("n1"), ALL), web(VIP))));
    }

    /** One row per rule: the inputs that leave nobody and the words the operator sees. */
    private record NoOwnerCase(String rule, ElectionInputs view, Svc service, String reasonContains) {
    }

    @Test
    void eachRuleThatLeavesNoCandidateSaysSo() {
        Set<String> live = Set.of("n1", "n2");
        List<NodeView> plain = plainNodes("n1", "n2");
        List<NoOwnerCase> cases = List.of(
                new NoOwnerCase("no live speaker", view(Set.of(), plain, ALL), web(VIP), "no live speaker"),
                new NoOwnerCase("advertisement for another pool",
                        view(live, plain, advertisement("other", Set.of("prod"), List.of(), List.of(), List.of())),
                        web(VIP), "no L2Advertisement covers pool lab"),
                new NoOwnerCase("service selector does not match",
                        view(live, plain, advertisement("db-only", Set.of("lab"), List.of(), List.of(),
                                List.of(labelled("app", "db")))),
                        web(VIP), "service default/web"),
                new NoOwnerCase("node selector selects no live node",
                        view(live, plain, advertisement("rack1", Set.of("lab"), List.of(labelled("rack", "1")),
                                List.of(), List.of())),
                        web(VIP), "selected by L2Advertisement rack1"),
                new NoOwnerCase("every node excluded",
                        view(live, List.of(node("n1", Map.of(Election.EXCLUDE_LABEL, "")),
                                node("n2", Map.of(Election.EXCLUDE_LABEL, "true"))), ALL),
                        web(VIP), Election.EXCLUDE_LABEL),
                new NoOwnerCase("every node NetworkUnavailable",
                        view(live, List.of(unavailable("n1", true), unavailable("n2", true)),
                                ALL),
                        web(VIP), "NetworkUnavailable"),
                new NoOwnerCase("Local without ready endpoints on live nodes",
                        view(live, plain, ALL),
                        ElectionInputs.local("default/web", Map.of(), List.of(VIP), Set.of("n3")),
                        "externalTrafficPolicy Local"));
        for (NoOwnerCase c : cases) {
            OwnershipPlan.Unowned none = assertInstanceOf(OwnershipPlan.Unowned.class, electOne(c.view(), c.service()),
                    c.rule());
            assertTrue(none.reason().contains(c.reasonContains()), c.rule() + ": " + none.reason());
        }
    }

    /** One row per filter: it removes the node that would otherwise win, and the next best wins. */
    @Test
    void eachFilterRemovesTheNodeThatWouldOtherwiseWin() {
        Set<String> live = Set.of("n1", "n2", "n3", "n4");
        String top = expectedWinner(live, VIP);
        Set<String> rest = new TreeSet<>(live);
        rest.remove(top);
        String next = expectedWinner(rest, VIP);

        List<NodeView> excluded = new ArrayList<>();
        List<NodeView> unavailable = new ArrayList<>();
        List<NodeView> unselected = new ArrayList<>();
        for (String n : live) {
            boolean isTop = n.equals(top);
            excluded.add(node(n, isTop ? Map.of(Election.EXCLUDE_LABEL, "") : Map.of()));
            unavailable.add(unavailable(n, isTop));
            unselected.add(node(n, isTop ? Map.of() : Map.of("announce", "yes")));
        }
        Advertisement selective = advertisement("selective", Set.of("lab"), List.of(labelled("announce", "yes")),
                List.of(), List.of());
        Set<String> endpointsElsewhere = new HashSet<>(rest);

        Map<String, OwnershipPlan.Decision> rows = new HashMap<>();
        rows.put("exclude label", electOne(view(live, excluded, ALL), web(VIP)));
        rows.put("NetworkUnavailable", electOne(view(live, unavailable, ALL), web(VIP)));
        rows.put("node selector", electOne(view(live, unselected, selective), web(VIP)));
        rows.put("Local endpoints", electOne(view(live, plainNodes("n1", "n2", "n3", "n4"), ALL),
                ElectionInputs.local("default/web", Map.of(), List.of(VIP), endpointsElsewhere)));
        rows.forEach((rule, r) -> assertEquals(next, ownerOf(r), rule));
    }

    @Test
    void clusterTrafficPolicyIgnoresWhereEndpointsRun() {
        Set<String> live = Set.of("n1", "n2", "n3");
        // endpoints on n1 only, which a Local Service would restrict the election to
        Svc s = new Svc(web(VIP).view(), Set.of("n1"));
        assertEquals(expectedWinner(live, VIP), ownerOf(electOne(view(live, plainNodes("n1", "n2", "n3"), ALL), s)));
    }

    @Test
    void servicesSharingAnIpElectTheSameNode() {
        Set<String> live = IntStream.range(0, 10).mapToObj(i -> "n" + i).collect(Collectors.toSet());
        ElectionInputs v = view(live, live.stream().map(n -> node(n, Map.of())).toList(), ALL);
        Svc http = ElectionInputs.cluster("default/http", Map.of(), List.of(VIP));
        Svc dns = ElectionInputs.cluster("default/dns", Map.of(), List.of(VIP, ip("198.18.0.201")));
        OwnershipPlan plan = v.plan(List.of(http, dns));
        String owner = expectedWinner(live, VIP);
        assertEquals(owner, ownerOf(plan.decision(http.view().key(), VIP)));
        assertEquals(owner, ownerOf(plan.decision(dns.view().key(), VIP)));
        assertTrue(plan.servicesOwnedBy(owner).keySet().containsAll(Set.of(http.view().key(), dns.view().key())));
        assertEquals(expectedWinner(live, ip("198.18.0.201")), ownerOf(plan.decision(dns.view().key(), ip("198.18.0.201"))));
    }

    @Test
    void sharedIpOnlyGoesToANodeEveryServiceAccepts() {
        Set<String> live = Set.of("n1", "n2", "n3", "n4");
        ElectionInputs v = view(live, plainNodes("n1", "n2", "n3", "n4"), ALL);
        String top = expectedWinner(live, VIP);
        Set<String> others = new HashSet<>(live);
        others.remove(top);
        Svc cluster = ElectionInputs.cluster("default/a", Map.of(), List.of(VIP));
        Svc local = ElectionInputs.local("default/b", Map.of(), List.of(VIP), others);
        assertEquals(expectedWinner(others, VIP), v.owner(List.of(cluster, local), cluster, VIP));
    }

    @Test
    void sharedIpWithNoCommonCandidateHasNoOwner() {
        ElectionInputs v = view(Set.of("n1", "n2"), plainNodes("n1", "n2"), ALL);
        Svc a = ElectionInputs.local("default/a", Map.of(), List.of(VIP), Set.of("n1"));
        Svc b = ElectionInputs.local("default/b", Map.of(), List.of(VIP), Set.of("n2"));
        OwnershipPlan.Unowned none = assertInstanceOf(OwnershipPlan.Unowned.class, v.decision(List.of(a, b), a, VIP));
        assertTrue(none.reason().contains("no candidate node in common"), none.reason());
    }

    @Test
    void interfacesAreTheUnionOfCoveringAdvertisementsThatSelectTheOwner() {
        ElectionInputs base = view(Set.of("n1"), List.of(node("n1", Map.of("rack", "1"))),
                advertisement("a", Set.of("lab"), List.of(), List.of("eth1"), List.of()),
                advertisement("b", Set.of("lab"), List.of(labelled("rack", "1")), List.of("eth2", "eth1"), List.of()),
                advertisement("c", Set.of("lab"), List.of(labelled("rack", "2")), List.of("eth9"), List.of()),
                advertisement("d", Set.of("prod"), List.of(), List.of("eth8"), List.of()));
        OwnershipPlan.Owner a = assertInstanceOf(OwnershipPlan.Owner.class, electOne(base, web(VIP)));
        assertEquals(Set.of("eth1", "eth2"), a.interfaces());
    }

    @Test
    void anAdvertisementWithoutInterfacesMeansAllSuitableInterfaces() {
        ElectionInputs v = view(Set.of("n1"), plainNodes("n1"),
                advertisement("a", Set.of("lab"), List.of(), List.of("eth1"), List.of()),
                advertisement("b", Set.of("lab"), List.of(), List.of(), List.of()));
        OwnershipPlan.Owner a = assertInstanceOf(OwnershipPlan.Owner.class, electOne(v, web(VIP)));
        assertEquals(Set.of(), a.interfaces());
    }

    // ---- properties over many nodes and IPs, randomised with a fixed seed ----

    private static List<IpAddress> randomIps(Random random, int count) {
        Set<IpAddress> ips = new TreeSet<>();
        while (ips.size() < count) {
            if (random.nextInt(4) == 0) {
                ips.add(new IpAddress(dev.ferrite.api.net.IpFamily.IPv6, 0x20010db8_00000000L, random.nextLong()));
            } else {
                ips.add(IpAddress.ofV4(0xC6120000L | random.nextInt(1 << 17)));
            }
        }
        return new ArrayList<>(ips);
    }

    private static Map<IpAddress, String> owners(ElectionInputs v, List<IpAddress> ips) {
        Svc s = ElectionInputs.cluster("default/many", Map.of(), ips);
        Map<IpAddress, String> out = new HashMap<>();
        v.plan(List.of(s)).byService().get(s.view().key()).forEach((ip, d) -> out.put(ip, ownerOf(d)));
        return out;
    }

    @Test
    void whenANodeLeavesOnlyTheIpsItOwnedMove() {
        Random random = new Random(20261123);
        List<String> names = IntStream.range(0, 60).mapToObj(i -> "worker-" + i).toList();
        List<IpAddress> ips = randomIps(random, 3000);
        ElectionInputs full = view(new HashSet<>(names), plainNodes(names.toArray(String[]::new)), ALL);
        Map<IpAddress, String> before = owners(full, ips);
        for (int round = 0; round < 5; round++) {
            String leaving = names.get(random.nextInt(names.size()));
            Set<String> live = new HashSet<>(names);
            live.remove(leaving);
            Map<IpAddress, String> after = owners(full.withLiveMembers(live), ips);
            int moved = 0;
            for (IpAddress ip : ips) {
                if (before.get(ip).equals(leaving)) {
                    moved++;
                    assertTrue(!after.get(ip).equals(leaving), ip + " stayed on departed " + leaving);
                } else {
                    assertEquals(before.get(ip), after.get(ip), ip + " moved although " + leaving + " did not own it");
                }
            }
            assertTrue(moved > 0, leaving + " owned nothing; the property was not exercised");
        }
    }

    @Test
    void whenANodeJoinsItOnlyTakesIpsAndTakesThemFromOthers() {
        Random random = new Random(42);
        List<String> names = IntStream.range(0, 40).mapToObj(i -> "worker-" + i).toList();
        List<IpAddress> ips = randomIps(random, 2000);
        ElectionInputs full = view(new HashSet<>(names), plainNodes(names.toArray(String[]::new)), ALL);
        Set<String> withoutNewcomer = new HashSet<>(names);
        withoutNewcomer.remove("worker-7");
        Map<IpAddress, String> before = owners(full.withLiveMembers(withoutNewcomer), ips);
        Map<IpAddress, String> after = owners(full, ips);
        int taken = 0;
        for (IpAddress ip : ips) {
            if (!before.get(ip).equals(after.get(ip))) {
                assertEquals("worker-7", after.get(ip), ip + " moved between two old members");
                taken++;
            }
        }
        assertTrue(taken > 0);
    }

    @Test
    void ipsSpreadEvenlyOverNodesForRandomAndSequentialAddresses() {
        Random random = new Random(1234);
        int nodes = 50;
        int perNode = 80;
        List<String> names = IntStream.range(0, nodes).mapToObj(i -> "node-" + i).toList();
        ElectionInputs v = view(new HashSet<>(names), plainNodes(names.toArray(String[]::new)), ALL);
        // Pools hand out addresses in order, so consecutive IPs are the common case.
        List<IpAddress> sequentialV4 = IntStream.range(0, nodes * perNode)
                .mapToObj(i -> IpAddress.ofV4(0xC6120000L + i)).toList();
        List<IpAddress> sequentialV6 = IntStream.range(0, nodes * perNode)
                .mapToObj(i -> new IpAddress(dev.ferrite.api.net.IpFamily.IPv6, 0x20010db8_00000000L, i)).toList();
        Map<String, List<IpAddress>> sets = Map.of("random", randomIps(random, nodes * perNode),
                "sequential IPv4", sequentialV4, "sequential IPv6", sequentialV6);
        sets.forEach((name, ips) -> {
            Map<String, Long> counts = owners(v, ips).values().stream()
                    .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
            assertEquals(nodes, counts.size(), name + ": every node owns something");
            long max = Collections.max(counts.values());
            long min = Collections.min(counts.values());
            // A fair hash gives a binomial spread, standard deviation about sqrt(80) ≈ 9; allow 4 of them.
            assertTrue(max <= perNode + 36 && min >= perNode - 36, name + ": counts from " + min + " to " + max);
        });
    }
}
