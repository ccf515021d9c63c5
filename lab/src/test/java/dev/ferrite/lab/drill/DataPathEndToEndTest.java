package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.proxy.ProxyMode;
import dev.ferrite.lab.report.ConnectionOutcome;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab's data path for real: pods behind the kube-proxy stand-in's nftables rules, a
 * Cluster Service (drill-0) and a Local one (drill-1), node3 without pods. Requests go
 * from the client's namespace with bash's /dev/tcp; the pods say who they are and whom
 * they see.
 */
@Tag("netns")
class DataPathEndToEndTest {
    static LabSession lab;
    static Map<String, String> owners;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        lab = LabSession.start(new LabSession.Options(3, "fxpath-", Optional.empty(), ProxyMode.NFTABLES, TrafficPolicy.MIX,
                LabSession.Options.DEFAULT_CONNECTIONS), s -> { });
        lab.deployServices(2, Duration.ofSeconds(60), s -> { });
        owners = lab.awaitSteady(Duration.ofSeconds(1), Duration.ofSeconds(40)).orElseThrow();
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    /** {@code GET /} from the client; the body's {@code key=value} lines, empty when nothing answered in 2 s. */
    static Map<String, String> get(String ip) {
        String script = "timeout 2 bash -c 'exec 3<>/dev/tcp/" + ip + "/80 && printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3 && cat <&3'";
        var r = lab.network().exec(lab.topology().client(), List.of("bash", "-c", script));
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : r.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.contains(":")) {
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            } else if (eq > 0 && line.startsWith("client=")) {
                fields.put("client", line.substring(7).strip());
            }
        }
        return fields;
    }

    @Test
    void aClusterServiceReachesPodsOnOtherNodesAndThePodSeesTheNodesAddress() {
        String ip = lab.ipOf("drill-0");
        Host ingress = lab.node(owners.get(ip));
        Set<String> podNodes = new HashSet<>();
        for (int i = 0; i < 30 && podNodes.size() < 2; i++) {
            Map<String, String> a = get(ip);
            assertEquals(ingress.name(), a.get("node"), "answer " + a);
            podNodes.add(a.get("pod-node"));
            if (!ingress.name().equals(a.get("pod-node"))) {
                assertEquals(ingress.ipv4().toString(), a.get("client"), "masqueraded to the ingress node: " + a);
            }
        }
        assertTrue(podNodes.size() >= 2, "30 requests all went to pods on " + podNodes + ": DNAT never left the node");
    }

    @Test
    void aLocalServiceReachesOnlyTheIngressNodesPodAndThePodSeesTheClient() {
        String ip = lab.ipOf("drill-1");
        Host ingress = lab.node(owners.get(ip));
        assertFalse(ingress.name().equals("node3"), "the Local Service is announced from node3, which has no pod");
        for (int i = 0; i < 10; i++) {
            Map<String, String> a = get(ip);
            assertEquals(ingress.name(), a.get("pod-node"), "answer " + a);
            assertEquals(lab.topology().client().ipv4().toString(), a.get("client"), "not masqueraded: " + a);
        }
    }

    @Test
    void aNodeWithoutALocalEndpointDropsTheLocalServicesTrafficAndCountsIt() {
        String ip = lab.ipOf("drill-1");
        Host client = lab.topology().client();
        Host node3 = lab.node("node3");
        IpAddress vip = IpAddress.parse(ip).orElseThrow();
        long before = lab.noLocalEndpointDrops();
        lab.network().pinNeighbour(client, vip, node3.mac());
        try {
            assertEquals(Map.of(), get(ip), "node3 has no pod for the Local Service and must not answer");
        } finally {
            lab.network().forgetNeighbour(client, vip);
        }
        assertTrue(lab.noLocalEndpointDrops() > before, "the drop was not counted");
    }

    @Test
    void theConnectionCounterCountsConnectionsTheTestResets() throws Exception {
        String ip = lab.ipOf("drill-0");
        Host ingress = lab.node(owners.get(ip));
        long open = System.nanoTime() + 15_000_000_000L;
        while (!lab.connectionLog().allAnswering(Set.of(ip), LabSession.Options.DEFAULT_CONNECTIONS)) {
            assertTrue(System.nanoTime() < open, "the long-lived connections never all answered");
            Thread.sleep(100);
        }
        long from = System.nanoTime();
        // the client's next request on every connection is answered by a reset from the node it reaches
        String table = "add table ip lab-test; add chain ip lab-test forward { type filter hook forward priority -5; };"
                + " add rule ip lab-test forward ip saddr " + lab.topology().client().ipv4() + " tcp dport 80 reject with tcp reset";
        assertTrue(lab.network().exec(ingress, List.of("nft", table)).succeeded());
        ConnectionOutcome o;
        try {
            // every connection asks at least once a second; wait (bounded) until each has been reset
            long end = System.nanoTime() + 10_000_000_000L;
            do {
                Thread.sleep(200);
                o = lab.connectionLog().outcome(Set.of(ip), from, System.nanoTime());
            } while (o.reset() < LabSession.Options.DEFAULT_CONNECTIONS && System.nanoTime() < end);
        } finally {
            lab.network().exec(ingress, List.of("nft", "delete table ip lab-test"));
        }
        assertEquals(LabSession.Options.DEFAULT_CONNECTIONS, o.connections(), o.toString());
        assertEquals(LabSession.Options.DEFAULT_CONNECTIONS, o.reset(), o.toString());
        assertEquals(0, o.survived(), o.toString());
    }
}
