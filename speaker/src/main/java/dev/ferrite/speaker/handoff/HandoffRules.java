package dev.ferrite.speaker.handoff;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Renders the kernel rules of flow handoff, as {@code nft} scripts and {@code ip} argument
 * lists. Pure: the installer runs what this returns.
 *
 * <p>The mechanism (daisy chaining, as in Beamer, NSDI 2018), on the new owner:
 * <ol>
 * <li>a {@code prerouting} filter chain at priority {@code mangle} marks TCP packets to a
 *     handed-off IP that are not a SYN and have no conntrack entry of their own (with
 *     {@code nf_conntrack_tcp_loose=1}, the default, a mid-flow packet makes a {@code new}
 *     entry): the entry and the packet get the handoff mark, and later packets of the same
 *     flow are recognised by the entry's mark. Such an entry never sees a reply (the
 *     previous owner answers the client directly), so conntrack calls every packet of the
 *     flow {@code new}; the rule that marks a flow therefore skips entries marked already,
 *     and {@code handed_flows} counts each flow once;</li>
 * <li>a {@code nat prerouting} chain just before kube-proxy's ({@code dstnat - 10}) binds
 *     marked flows to their own destination (an identity DNAT), so kube-proxy's DNAT to a
 *     local endpoint never applies to them: the first NAT binding of a flow wins;</li>
 * <li>a policy rule sends marked packets to a routing table holding one route per
 *     handed-off IP, via the previous owner's node address; that node's conntrack still
 *     has the flow, DNATs it as before and answers the client directly;</li>
 * <li>ICMP redirects about marked flows are dropped: this node forwards out of the
 *     interface the packet came in on, and a redirect would tell the client to send every
 *     flow of the IP, new ones included, to the previous owner. IPv6 needs no such rule:
 *     Linux sends an IPv6 redirect only when the next hop is a link-local address (RFC 4861
 *     8.2), and the route goes via the previous owner's InternalIP.</li>
 * </ol>
 * IPv4 and IPv6 Service IPs have a set each ({@code handed_off}, {@code handed_off6}) and
 * share the chains; each family has its routing table of the same number and its policy
 * rule. Everything lives in one table, {@code inet ferrite_handoff}, so a new speaker removes
 * its predecessor's rules by name. The table comment
 * names the process that installed it. Chain names avoid nft keywords ({@code mark} and
 * {@code keep} are syntax errors in nft 1.0.6).
 */
public record HandoffRules(HandoffSettings settings) {

    public static final String TABLE = "ferrite_handoff";
    public static final String SET = "handed_off";
    public static final String SET6 = "handed_off6";
    /** Seconds the conntrack entry of an adopted flow outlives its last packet (see {@link #expiry}). */
    public static final int ADOPTED_TIMEOUT_SECONDS = 10;
    /** The families handoff routes, in the order rules are installed. */
    public static final List<IpFamily> FAMILIES = List.of(IpFamily.IPv4, IpFamily.IPv6);

    /** The whole table, with no IP handed off yet; replaces any table of the same name. */
    public String table(String ownerTag) {
        String m = hex(settings.mark());
        return String.join("\n",
                "table inet " + TABLE,
                "delete table inet " + TABLE,
                "table inet " + TABLE + " {",
                "  comment \"" + ownerTag.replace("\"", "'") + "\"",
                "  counter handed_flows {",
                "  }",
                "  counter handed_packets {",
                "  }",
                "  set " + SET + " {",
                "    type ipv4_addr",
                "  }",
                "  set " + SET6 + " {",
                "    type ipv6_addr",
                "  }",
                "  chain adopt {",
                "    type filter hook prerouting priority mangle; policy accept;",
                "    ip daddr @" + SET + " ct mark & " + m + " == " + m + " meta mark set meta mark | " + m
                        + " counter name \"handed_packets\"",
                "    ip daddr @" + SET + " ct state new ct mark & " + m + " != " + m
                        + " tcp flags & (syn|ack) != syn ct mark set ct mark | " + m
                        + " meta mark set meta mark | " + m + " counter name \"handed_flows\"",
                "    ip6 daddr @" + SET6 + " ct mark & " + m + " == " + m + " meta mark set meta mark | " + m
                        + " counter name \"handed_packets\"",
                "    ip6 daddr @" + SET6 + " ct state new ct mark & " + m + " != " + m
                        + " tcp flags & (syn|ack) != syn ct mark set ct mark | " + m
                        + " meta mark set meta mark | " + m + " counter name \"handed_flows\"",
                "  }",
                "  chain bypass {",
                "    type nat hook prerouting priority dstnat - 10; policy accept;",
                "    meta nfproto ipv4 meta mark & " + m + " == " + m + " dnat ip to ip daddr",
                "    meta nfproto ipv6 meta mark & " + m + " == " + m + " dnat ip6 to ip6 daddr",
                "  }",
                "  chain quiet {",
                "    type filter hook output priority filter; policy accept;",
                "    icmp type redirect ct mark & " + m + " == " + m + " drop",
                "  }",
                "}",
                "");
    }

    /**
     * Short conntrack timeouts for the entries of adopted flows, added to the table by a run of
     * its own (a kernel without conntrack timeout policies refuses it, and handoff works
     * without). An adopted flow's entry never sees a reply, so the kernel keeps it as
     * unacknowledged for 5 minutes after its last packet: long after a short connection ended,
     * a new connection that reuses its client port (a busy client cycles through its ports in
     * about a minute) inherited the entry's mark and identity NAT, and was sent to a previous
     * owner or answered with a reset instead of reaching kube-proxy. With these timeouts the
     * entry goes {@value #ADOPTED_TIMEOUT_SECONDS} s after the last packet; a live flow keeps
     * it fresh, and a flow idle for longer is adopted again by its next packet. The kernel
     * sets a timeout policy only on an entry the packet has just created (not yet confirmed),
     * so the chain runs after conntrack, next to the adopting one, and flows with entries of
     * their own keep theirs.
     */
    public String expiry() {
        String n = Integer.toString(ADOPTED_TIMEOUT_SECONDS);
        String policy = "    policy = { syn_recv: " + n + ", established: " + n + ", fin_wait: " + n + ", close_wait: " + n
                + ", last_ack: " + n + ", time_wait: " + n + ", unack: " + n + " }";
        return String.join("\n",
                "table inet " + TABLE + " {",
                "  ct timeout adopted4 {",
                "    protocol tcp;",
                "    l3proto ip;",
                policy,
                "  }",
                "  ct timeout adopted6 {",
                "    protocol tcp;",
                "    l3proto ip6;",
                policy,
                "  }",
                "  chain expire {",
                "    type filter hook prerouting priority mangle + 1; policy accept;",
                "    ip daddr @" + SET + " ct state new tcp flags & (syn|ack) != syn ct timeout set \"adopted4\"",
                "    ip6 daddr @" + SET6 + " ct state new tcp flags & (syn|ack) != syn ct timeout set \"adopted6\"",
                "  }",
                "}",
                "");
    }

    /** Replaces the sets of handed-off IPs (both families) in one transaction. */
    public String handedOff(Collection<HandoffWindow> windows) {
        StringBuilder s = new StringBuilder();
        for (IpFamily f : FAMILIES) {
            String set = f == IpFamily.IPv4 ? SET : SET6;
            s.append("flush set inet ").append(TABLE).append(' ').append(set).append('\n');
            List<String> ips = windows.stream().filter(w -> w.ip().family() == f).map(w -> w.ip().toString()).toList();
            if (!ips.isEmpty()) {
                s.append("add element inet ").append(TABLE).append(' ').append(set).append(" { ")
                        .append(String.join(", ", ips)).append(" }\n");
            }
        }
        return s.toString();
    }

    /** Deletes the table; fails when there is none. */
    public String deleteTable() {
        return "delete table inet " + TABLE + "\n";
    }

    /** {@code ip} arguments that route a marked packet for the window's IP to the previous owner. */
    public List<String> routeAdd(HandoffWindow w) {
        return List.of(flag(w.ip().family()), "route", "replace", host(w.ip()), "via", w.via().toString(), "table",
                Integer.toString(settings.routeTable()));
    }

    /** {@code ip} arguments that remove the route of {@code ip}. */
    public List<String> routeDelete(IpAddress ip) {
        return List.of(flag(ip.family()), "route", "del", host(ip), "table", Integer.toString(settings.routeTable()));
    }

    /** {@code ip} arguments that remove every route of the handoff table of {@code family}. */
    public List<String> routesFlush(IpFamily family) {
        return List.of(flag(family), "route", "flush", "table", Integer.toString(settings.routeTable()));
    }

    /** {@code ip} arguments of the policy rule sending marked packets of {@code family} to the handoff table. */
    public List<String> ruleAdd(IpFamily family) {
        return List.of(flag(family), "rule", "add", "pref", Integer.toString(settings.rulePreference()), "fwmark",
                hex(settings.mark()) + "/" + hex(settings.mark()), "lookup", Integer.toString(settings.routeTable()));
    }

    /** {@code ip} arguments that remove one policy rule of {@code family} at the handoff preference (repeat until it fails). */
    public List<String> ruleDelete(IpFamily family) {
        return List.of(flag(family), "rule", "del", "pref", Integer.toString(settings.rulePreference()));
    }

    /** {@code -4} or {@code -6}: the first argument of every {@code ip} command here. */
    public static String flag(IpFamily family) {
        return family == IpFamily.IPv4 ? "-4" : "-6";
    }

    private static String host(IpAddress ip) {
        return ip + (ip.family() == IpFamily.IPv4 ? "/32" : "/128");
    }

    /**
     * {@code ip} argument lists that move the {@code local} table's rule behind the handoff
     * rule, for nodes where Service IPs are local addresses (kube-proxy in IPVS mode holds them
     * on {@code kube-ipvs0}): otherwise a marked packet is delivered to this node's own stack,
     * which has no socket for it and resets the connection. The new rule is added before the
     * old one is removed, so no moment exists without a local table.
     */
    public List<List<String>> localTableBehind(IpFamily family) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of(flag(family), "rule", "add", "pref", Integer.toString(settings.rulePreference() + 1), "lookup", "local"));
        out.add(List.of(flag(family), "rule", "del", "pref", "0", "lookup", "local"));
        return out;
    }

    static String hex(long v) {
        return String.format("0x%08x", v);
    }
}
