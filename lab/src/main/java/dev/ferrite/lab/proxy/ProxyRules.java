package dev.ferrite.lab.proxy;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nft script the kube-proxy stand-in applies on a node for one address family: the same
 * shape as kube-proxy's nftables mode (table {@code ip kube-proxy} / {@code ip6 kube-proxy}, a
 * {@code service-ips} verdict map from address . protocol . port to a Service's chain, an
 * {@code external-} chain per Service, a {@code service-} chain that picks an endpoint with
 * {@code numgen random}, an {@code endpoint-} chain that DNATs, and masquerading through the
 * 0x4000 mark), for LoadBalancer ingress IPs only. Pure: Services in, text out.
 *
 * <ul>
 *   <li>{@code externalTrafficPolicy: Cluster}: mark for masquerade, then any ready endpoint
 *       on any node; the pod sees the node's address.</li>
 *   <li>{@code Local}: only this node's ready endpoints, no masquerade (the pod sees the
 *       client); none → dropped and counted in the named counter {@value #NO_LOCAL_ENDPOINT}.</li>
 *   <li>{@code nftables} mode, like kube-proxy's, takes traffic to a Service IP in prerouting
 *       whether or not the node holds it, and forwards what no rule takes (another port, a
 *       flow handed off to another node) like any other packet; {@code ipvs} mode matches only
 *       traffic to a local address ({@code fib daddr type local}).</li>
 * </ul>
 *
 * <p>The script is one transaction: it flushes the table and writes it whole, so a reader
 * never sees half a ruleset, and deletes the Service chains of the previous script that are
 * gone. The counter survives (only rules and elements are flushed).
 */
public final class ProxyRules {
    public static final String TABLE = "kube-proxy";
    public static final String NO_LOCAL_ENDPOINT = "no-local-endpoint";
    static final String MASQUERADE_MARK = "0x4000";

    /** The script and the per-Service chains it created (pass them back as {@code previous} next time). */
    public record Script(String text, Set<String> chains) {
        public Script {
            chains = Set.copyOf(chains);
        }
    }

    private ProxyRules() {
    }

    public static Script render(String node, ProxyMode mode, IpFamily family, List<ProxyService> services, Set<String> previous) {
        String t = (family == IpFamily.IPv4 ? "ip " : "ip6 ") + TABLE;
        String addrType = family == IpFamily.IPv4 ? "ipv4_addr" : "ipv6_addr";
        String daddr = family == IpFamily.IPv4 ? "ip daddr" : "ip6 daddr";
        String saddr = family == IpFamily.IPv4 ? "ip saddr" : "ip6 saddr";
        List<String> lines = new ArrayList<>();
        lines.add("add table " + t);
        lines.add("add counter " + t + " " + NO_LOCAL_ENDPOINT);
        lines.add("add chain " + t + " nat-prerouting { type nat hook prerouting priority dstnat; policy accept; }");
        lines.add("add chain " + t + " nat-output { type nat hook output priority -100; policy accept; }");
        lines.add("add chain " + t + " nat-postrouting { type nat hook postrouting priority srcnat; policy accept; }");
        lines.add("add chain " + t + " services");
        lines.add("add chain " + t + " masquerading");
        lines.add("add chain " + t + " mark-for-masquerade");
        lines.add("add map " + t + " service-ips { type " + addrType + " . inet_proto . inet_service : verdict; }");
        lines.add("flush table " + t);
        lines.add("flush map " + t + " service-ips");
        lines.add("add rule " + t + " nat-prerouting jump services");
        lines.add("add rule " + t + " nat-output jump services");
        lines.add("add rule " + t + " nat-postrouting jump masquerading");
        lines.add("add rule " + t + " masquerading meta mark & " + MASQUERADE_MARK + " == 0 return");
        lines.add("add rule " + t + " masquerading meta mark set meta mark ^ " + MASQUERADE_MARK);
        lines.add("add rule " + t + " masquerading masquerade fully-random");
        lines.add("add rule " + t + " mark-for-masquerade meta mark set meta mark | " + MASQUERADE_MARK);
        String lookup = daddr + " . meta l4proto . th dport vmap @service-ips";
        lines.add("add rule " + t + " services " + (mode == ProxyMode.IPVS ? "fib daddr type local " + lookup : lookup));
        Set<String> chains = new LinkedHashSet<>();
        for (ProxyService s : services) {
            if (s.ip().family() != family) {
                continue;
            }
            String id = id(s);
            String external = "external-" + id;
            String service = "service-" + id;
            chains.add(external);
            chains.add(service);
            lines.add("add chain " + t + " " + external);
            lines.add("add chain " + t + " " + service);
            lines.add("add element " + t + " service-ips { " + s.ip() + " . tcp . " + s.port() + " : goto " + external + " }");
            List<String> endpointChains = new ArrayList<>();
            for (ProxyService.Endpoint e : s.ready(null)) {
                String chain = "endpoint-" + id + "-" + e.address().toString().replace('.', '-').replace(':', '-') + "-" + e.port();
                chains.add(chain);
                lines.add("add chain " + t + " " + chain);
                lines.add("add rule " + t + " " + chain + " " + saddr + " " + e.address() + " jump mark-for-masquerade");
                lines.add("add rule " + t + " " + chain + " meta l4proto tcp dnat to " + hostPort(e.address(), e.port()));
                endpointChains.add(chain);
            }
            lines.add("add rule " + t + " " + service + " " + pick(s.ready(null), endpointChains, s));
            if (s.local()) {
                List<ProxyService.Endpoint> here = s.ready(node);
                if (here.isEmpty()) {
                    lines.add("add rule " + t + " " + external + " counter name " + NO_LOCAL_ENDPOINT + " drop");
                } else {
                    List<String> localChains = new ArrayList<>();
                    for (ProxyService.Endpoint e : here) {
                        localChains.add(endpointChains.get(s.ready(null).indexOf(e)));
                    }
                    lines.add("add rule " + t + " " + external + " " + pick(here, localChains, s));
                }
            } else {
                lines.add("add rule " + t + " " + external + " jump mark-for-masquerade");
                lines.add("add rule " + t + " " + external + " goto " + service);
            }
        }
        for (String stale : previous) {
            if (!chains.contains(stale)) {
                lines.add("delete chain " + t + " " + stale);
            }
        }
        return new Script(String.join("\n", lines) + "\n", chains);
    }

    /** {@code numgen random mod N vmap { 0 : goto a, 1 : goto b }}, or a drop when there is no endpoint. */
    private static String pick(List<ProxyService.Endpoint> endpoints, List<String> chains, ProxyService s) {
        if (endpoints.isEmpty()) {
            return "drop";
        }
        StringBuilder sb = new StringBuilder("numgen random mod " + endpoints.size() + " vmap { ");
        for (int i = 0; i < chains.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(i).append(" : goto ").append(chains.get(i));
        }
        return sb.append(" }").toString();
    }

    /** {@code default-drill-0-tcp-http}: namespace, name, protocol and port name, as kube-proxy names its chains. */
    static String id(ProxyService s) {
        return (s.namespace() + "-" + s.name() + "-tcp-" + s.portName()).replaceAll("[^a-zA-Z0-9-]", "-");
    }

    private static String hostPort(IpAddress address, int port) {
        return address.family() == IpFamily.IPv6 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
