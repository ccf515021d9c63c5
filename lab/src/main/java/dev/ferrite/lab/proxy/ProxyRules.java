package dev.ferrite.lab.proxy;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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
 * <p>The script is one transaction, so a reader never sees half a ruleset. The first script
 * (nothing {@code written} yet) writes the table whole, replacing whatever a predecessor left.
 * After that a script is a partial sync, as kube-proxy's nftables mode does it: only the
 * Services that changed since what was written get their chains flushed and refilled, their
 * map element added or deleted and the chains they no longer use deleted; unchanged Services
 * are not touched. When 100 EndpointSlices change one after the other, each rewrite is then a
 * few lines instead of the whole table, which is what kept the stand-ins busy on a loaded lab.
 */
public final class ProxyRules {
    public static final String TABLE = "kube-proxy";
    public static final String NO_LOCAL_ENDPOINT = "no-local-endpoint";
    static final String MASQUERADE_MARK = "0x4000";
    private static final Pattern NOT_IN_CHAIN_NAMES = Pattern.compile("[^a-zA-Z0-9-]");

    /**
     * The script, and what the table holds once it is applied: the Service ports by chain id
     * (pass it back as {@code written} next time).
     */
    public record Script(String text, Map<String, List<ProxyService>> written) {
        public Script {
            written = Map.copyOf(written);
        }
    }

    private ProxyRules() {
    }

    /**
     * The script that takes the table from {@code written} (empty: unknown, write it whole) to
     * {@code services}, for {@code family}'s Services only.
     */
    public static Script render(String node, ProxyMode mode, IpFamily family, List<ProxyService> services,
                                Optional<Map<String, List<ProxyService>>> written) {
        Table t = new Table(family);
        Map<String, List<ProxyService>> wanted = new LinkedHashMap<>();
        for (ProxyService s : services) {
            if (s.ip().family() == family) {
                wanted.computeIfAbsent(id(s), k -> new ArrayList<>()).add(s);
            }
        }
        List<String> lines = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        Map<String, List<ProxyService>> before = written.orElse(Map.of());
        if (written.isEmpty()) {
            base(t, mode, lines);
        }
        Set<String> ids = new LinkedHashSet<>(wanted.keySet());
        ids.addAll(before.keySet());
        for (String id : ids) {
            List<ProxyService> ports = wanted.get(id);
            List<ProxyService> old = before.get(id);
            if (Objects.equals(ports, old)) {
                continue;
            }
            Set<String> keys = elementKeys(ports);
            Set<String> oldKeys = elementKeys(old);
            oldKeys.stream().filter(k -> !keys.contains(k))
                    .forEach(k -> lines.add("delete element " + t + " service-ips { " + k + " }"));
            Set<String> keptChains = ports == null ? flush(t, id, lines) : serviceRules(t, node, id, ports, lines);
            if (old != null) {
                endpointChains(id, old).stream().filter(c -> !keptChains.contains(c))
                        .forEach(c -> deletions.add("delete chain " + t + " " + c));
            }
            if (ports == null) {
                deletions.add("delete chain " + t + " external-" + id);
                deletions.add("delete chain " + t + " service-" + id);
            }
            keys.stream().filter(k -> !oldKeys.contains(k))
                    .forEach(k -> lines.add("add element " + t + " service-ips { " + k + " : goto external-" + id + " }"));
        }
        lines.addAll(deletions);
        String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        return new Script(text, wanted);
    }

    /** The table's name as nft commands spell it, with the family's address words. */
    private record Table(IpFamily family) {
        String daddr() {
            return family == IpFamily.IPv4 ? "ip daddr" : "ip6 daddr";
        }

        String saddr() {
            return family == IpFamily.IPv4 ? "ip saddr" : "ip6 saddr";
        }

        @Override
        public String toString() {
            return (family == IpFamily.IPv4 ? "ip " : "ip6 ") + TABLE;
        }
    }

    /** The table anew (deleting a predecessor's), its base chains, the map and masquerading. */
    private static void base(Table t, ProxyMode mode, List<String> lines) {
        String addrType = t.family() == IpFamily.IPv4 ? "ipv4_addr" : "ipv6_addr";
        lines.add("add table " + t);
        lines.add("delete table " + t);
        lines.add("add table " + t);
        lines.add("add counter " + t + " " + NO_LOCAL_ENDPOINT);
        lines.add("add chain " + t + " nat-prerouting { type nat hook prerouting priority dstnat; policy accept; }");
        lines.add("add chain " + t + " nat-output { type nat hook output priority -100; policy accept; }");
        lines.add("add chain " + t + " nat-postrouting { type nat hook postrouting priority srcnat; policy accept; }");
        lines.add("add chain " + t + " services");
        lines.add("add chain " + t + " masquerading");
        lines.add("add chain " + t + " mark-for-masquerade");
        lines.add("add map " + t + " service-ips { type " + addrType + " . inet_proto . inet_service : verdict; }");
        lines.add("add rule " + t + " nat-prerouting jump services");
        lines.add("add rule " + t + " nat-output jump services");
        lines.add("add rule " + t + " nat-postrouting jump masquerading");
        lines.add("add rule " + t + " masquerading meta mark & " + MASQUERADE_MARK + " == 0 return");
        lines.add("add rule " + t + " masquerading meta mark set meta mark ^ " + MASQUERADE_MARK);
        lines.add("add rule " + t + " masquerading masquerade fully-random");
        lines.add("add rule " + t + " mark-for-masquerade meta mark set meta mark | " + MASQUERADE_MARK);
        String lookup = t.daddr() + " . meta l4proto . th dport vmap @service-ips";
        lines.add("add rule " + t + " services " + (mode == ProxyMode.IPVS ? "fib daddr type local " + lookup : lookup));
    }

    /**
     * A Service port's chains, emptied and filled again (its ingress IPs share them); answers
     * the endpoint chains it uses.
     */
    private static Set<String> serviceRules(Table t, String node, String id, List<ProxyService> ports, List<String> lines) {
        ProxyService s = ports.get(0);
        String external = "external-" + id;
        String service = "service-" + id;
        for (String chain : List.of(external, service)) {
            lines.add("add chain " + t + " " + chain);
            lines.add("flush chain " + t + " " + chain);
        }
        List<ProxyService.Endpoint> ready = s.ready(null);
        List<String> endpointChains = new ArrayList<>();
        for (ProxyService.Endpoint e : ready) {
            String chain = endpointChain(id, e);
            endpointChains.add(chain);
            lines.add("add chain " + t + " " + chain);
            lines.add("flush chain " + t + " " + chain);
            lines.add("add rule " + t + " " + chain + " " + t.saddr() + " " + e.address() + " jump mark-for-masquerade");
            lines.add("add rule " + t + " " + chain + " meta l4proto tcp dnat to " + hostPort(e.address(), e.port()));
        }
        lines.add("add rule " + t + " " + service + " " + pick(endpointChains));
        if (s.local()) {
            List<String> localChains = s.ready(node).stream().map(e -> endpointChains.get(ready.indexOf(e))).toList();
            lines.add("add rule " + t + " " + external + " "
                    + (localChains.isEmpty() ? "counter name " + NO_LOCAL_ENDPOINT + " drop" : pick(localChains)));
        } else {
            lines.add("add rule " + t + " " + external + " jump mark-for-masquerade");
            lines.add("add rule " + t + " " + external + " goto " + service);
        }
        return new LinkedHashSet<>(endpointChains);
    }

    /** Empties a Service port's chains before they go; it keeps no endpoint chain. */
    private static Set<String> flush(Table t, String id, List<String> lines) {
        lines.add("flush chain " + t + " external-" + id);
        lines.add("flush chain " + t + " service-" + id);
        return Set.of();
    }

    /** The map keys of a Service port's ingress IPs; none for a port that is not there. */
    private static Set<String> elementKeys(List<ProxyService> ports) {
        Set<String> keys = new LinkedHashSet<>();
        if (ports != null) {
            ports.forEach(p -> keys.add(elementKey(p)));
        }
        return keys;
    }

    private static List<String> endpointChains(String id, List<ProxyService> ports) {
        return ports.get(0).ready(null).stream().map(e -> endpointChain(id, e)).toList();
    }

    private static String endpointChain(String id, ProxyService.Endpoint e) {
        return "endpoint-" + id + "-" + e.address().toString().replace('.', '-').replace(':', '-') + "-" + e.port();
    }

    /** The map key of a Service port: {@code 198.18.0.200 . tcp . 80}. */
    private static String elementKey(ProxyService s) {
        return s.ip() + " . tcp . " + s.port();
    }

    /** {@code numgen random mod N vmap { 0 : goto a, 1 : goto b }}, or a drop when there is no endpoint. */
    private static String pick(List<String> chains) {
        if (chains.isEmpty()) {
            return "drop";
        }
        StringBuilder sb = new StringBuilder("numgen random mod " + chains.size() + " vmap { ");
        for (int i = 0; i < chains.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(i).append(" : goto ").append(chains.get(i));
        }
        return sb.append(" }").toString();
    }

    /** {@code default-drill-0-tcp-http}: namespace, name, protocol and port name, as kube-proxy names its chains. */
    static String id(ProxyService s) {
        return NOT_IN_CHAIN_NAMES.matcher(s.namespace() + "-" + s.name() + "-tcp-" + s.portName()).replaceAll("-");
    }

    private static String hostPort(IpAddress address, int port) {
        return address.family() == IpFamily.IPv6 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
