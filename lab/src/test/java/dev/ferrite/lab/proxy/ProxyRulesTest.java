package dev.ferrite.lab.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProxyRulesTest {
    static final ProxyService.Endpoint ON_NODE1 = new ProxyService.Endpoint(IpAddress.parse("198.19.1.11").orElseThrow(), 80, "node1", true);
    static final ProxyService.Endpoint ON_NODE2 = new ProxyService.Endpoint(IpAddress.parse("198.19.2.11").orElseThrow(), 80, "node2", true);
    static final ProxyService.Endpoint NOT_READY = new ProxyService.Endpoint(IpAddress.parse("198.19.1.12").orElseThrow(), 80, "node1", false);

    static ProxyService service(String name, String ip, boolean local, List<ProxyService.Endpoint> endpoints) {
        return new ProxyService("default", name, "http", IpAddress.parse(ip).orElseThrow(), 80, local, endpoints);
    }

    static String render(String node, ProxyMode mode, ProxyService... services) {
        return ProxyRules.render(node, mode, IpFamily.IPv4, List.of(services), Optional.empty()).text();
    }

    /** The partial sync from what {@code before} wrote to {@code now}. */
    static String after(List<ProxyService> before, List<ProxyService> now) {
        ProxyRules.Script first = ProxyRules.render("node1", ProxyMode.NFTABLES, IpFamily.IPv4, before, Optional.empty());
        return ProxyRules.render("node1", ProxyMode.NFTABLES, IpFamily.IPv4, now, Optional.of(first.written())).text();
    }

    @Test
    void aClusterServiceIsMasqueradedAndDnatedToAnyReadyEndpointOnAnyNode() {
        String t = render("node3", ProxyMode.NFTABLES, service("web", "198.18.0.200", false, List.of(ON_NODE1, ON_NODE2, NOT_READY)));
        assertTrue(t.contains("service-ips { 198.18.0.200 . tcp . 80 : goto external-default-web-tcp-http }"), t);
        assertTrue(t.contains("external-default-web-tcp-http jump mark-for-masquerade"), t);
        assertTrue(t.contains("service-default-web-tcp-http numgen random mod 2 vmap"), t);
        assertTrue(t.contains("dnat to 198.19.1.11:80"), t);
        assertTrue(t.contains("dnat to 198.19.2.11:80"), t);
        assertFalse(t.contains("198.19.1.12"), "a not-ready endpoint gets no traffic: " + t);
    }

    @Test
    void aLocalServiceUsesOnlyThisNodesEndpointsWithoutMasquerade() {
        String t = render("node2", ProxyMode.NFTABLES, service("web", "198.18.0.200", true, List.of(ON_NODE1, ON_NODE2)));
        assertTrue(t.contains("add rule ip kube-proxy external-default-web-tcp-http numgen random mod 1 vmap { 0 : goto "
                + "endpoint-default-web-tcp-http-198-19-2-11-80 }"), t);
        assertFalse(t.contains("external-default-web-tcp-http jump mark-for-masquerade"), t);
    }

    @Test
    void aLocalServiceWithoutALocalEndpointIsDroppedAndCounted() {
        String t = render("node3", ProxyMode.NFTABLES, service("web", "198.18.0.200", true, List.of(ON_NODE1)));
        assertTrue(t.contains("external-default-web-tcp-http counter name no-local-endpoint drop"), t);
    }

    @Test
    void ipvsModeTakesOnlyTrafficToALocalAddressAndNftablesModeForwardsWhatItDoesNotTake() {
        String ipvs = render("node1", ProxyMode.IPVS, service("web", "198.18.0.200", false, List.of(ON_NODE1)));
        assertTrue(ipvs.contains("services fib daddr type local ip daddr . meta l4proto . th dport vmap @service-ips"), ipvs);
        String nft = render("node1", ProxyMode.NFTABLES, service("web", "198.18.0.200", false, List.of(ON_NODE1)));
        assertTrue(nft.contains("services ip daddr . meta l4proto . th dport vmap @service-ips"), nft);
        // kube-proxy drops nothing forwarded to a LoadBalancer IP that has endpoints: a flow
        // handed off to the previous owner (identity DNAT, then routed) must get through
        assertFalse(nft.contains("add rule ip kube-proxy filter-forward"), nft);
    }

    @Test
    void theFirstScriptReplacesWhateverAPredecessorLeftAndOtherFamiliesAreLeftOut() {
        String t = ProxyRules.render("node1", ProxyMode.NFTABLES, IpFamily.IPv4,
                List.of(service("web", "198.18.0.200", false, List.of(ON_NODE1)), service("v6", "2001:db8::200", false, List.of())),
                Optional.empty()).text();
        assertTrue(t.startsWith("add table ip kube-proxy\ndelete table ip kube-proxy\nadd table ip kube-proxy\n"), t);
        assertFalse(t.contains("2001:db8::200"), t);
        assertFalse(Pattern.compile("chain ip kube-proxy (mark|keep)(\\s|$)").matcher(t).find(),
                "a chain named mark or keep is a syntax error in nft 1.0.6: " + t);
    }

    @Test
    void nothingIsWrittenWhenNothingChanged() {
        List<ProxyService> view = List.of(service("web", "198.18.0.200", false, List.of(ON_NODE1, ON_NODE2)));
        ProxyRules.Script first = ProxyRules.render("node1", ProxyMode.NFTABLES, IpFamily.IPv4, view, Optional.empty());
        ProxyRules.Script again = ProxyRules.render("node1", ProxyMode.NFTABLES, IpFamily.IPv4, view, Optional.of(first.written()));
        assertEquals("", again.text());
        assertEquals(first.written(), again.written());
    }

    @Test
    void anEndpointThatLeftRewritesOnlyItsServiceAndDeletesItsChain() {
        ProxyService other = service("other", "198.18.0.201", false, List.of(ON_NODE1, ON_NODE2));
        String t = after(List.of(service("web", "198.18.0.200", false, List.of(ON_NODE1, ON_NODE2)), other),
                List.of(service("web", "198.18.0.200", false, List.of(ON_NODE1)), other));
        assertTrue(t.contains("flush chain ip kube-proxy service-default-web-tcp-http\n"), t);
        assertTrue(t.contains("add rule ip kube-proxy service-default-web-tcp-http numgen random mod 1 vmap { 0 : goto "
                + "endpoint-default-web-tcp-http-198-19-1-11-80 }"), t);
        assertTrue(t.endsWith("delete chain ip kube-proxy endpoint-default-web-tcp-http-198-19-2-11-80\n"),
                "the chain of the endpoint that left goes, after the rules that used it: " + t);
        assertFalse(t.contains("default-other"), "an unchanged Service is not touched: " + t);
        assertFalse(t.contains("table ip kube-proxy\n") || t.contains("service-ips {"),
                "neither the table nor the map element is rewritten: " + t);
    }

    @Test
    void aServiceThatWentLosesItsElementAndChainsAndANewOneGetsThem() {
        String t = after(List.of(service("old", "198.18.0.201", true, List.of(ON_NODE1))),
                List.of(service("web", "198.18.0.200", false, List.of(ON_NODE2))));
        assertTrue(t.contains("delete element ip kube-proxy service-ips { 198.18.0.201 . tcp . 80 }"), t);
        for (String chain : List.of("external-default-old-tcp-http", "service-default-old-tcp-http",
                "endpoint-default-old-tcp-http-198-19-1-11-80")) {
            assertTrue(t.contains("delete chain ip kube-proxy " + chain + "\n"), chain + " deleted: " + t);
        }
        assertTrue(t.contains("add element ip kube-proxy service-ips { 198.18.0.200 . tcp . 80 : goto external-default-web-tcp-http }"), t);
    }

    @Test
    void aServiceWhoseAddressChangedMovesItsElement() {
        String t = after(List.of(service("web", "198.18.0.201", false, List.of(ON_NODE1))),
                List.of(service("web", "198.18.0.200", false, List.of(ON_NODE1))));
        assertTrue(t.contains("delete element ip kube-proxy service-ips { 198.18.0.201 . tcp . 80 }"), t);
        assertTrue(t.contains("add element ip kube-proxy service-ips { 198.18.0.200 . tcp . 80 : goto external-default-web-tcp-http }"), t);
        assertFalse(t.contains("delete chain"), "its chains stay: " + t);
    }
}
