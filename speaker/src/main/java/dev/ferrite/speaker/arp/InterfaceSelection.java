package dev.ferrite.speaker.arp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which interfaces an IP is announced on. Named interfaces (from an L2Advertisement's
 * {@code interfaces} or the speaker's own setting) are taken as given when they can carry
 * ARP; otherwise every up, broadcast-capable, non-loopback Ethernet interface that is not
 * enslaved to a bridge or bond and whose name matches none of the exclude patterns. The
 * default patterns leave out the interfaces container networking creates (pod veths, CNI
 * bridges and tunnels, kube-proxy's IPVS dummy): answering ARP there would leak the VIP
 * into pod networks.
 */
public final class InterfaceSelection {

    public static final List<String> DEFAULT_EXCLUDES = List.of(
            "lo", "veth.*", "cni.*", "docker.*", "kube-ipvs.*", "flannel.*", "cali.*", "vxlan.*", "tunl.*",
            "weave.*", "dummy.*", "kube-bridge");

    /** The chosen interfaces, and for each one left out, why (for logs and status). */
    public record Selected(List<InterfaceDescription> chosen, Map<String, String> skipped) {
        public Selected {
            chosen = List.copyOf(chosen);
            skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        }

        public List<String> names() {
            return chosen.stream().map(InterfaceDescription::name).toList();
        }
    }

    private InterfaceSelection() {
    }

    public static List<Pattern> compile(Collection<String> patterns) {
        List<Pattern> out = new ArrayList<>();
        for (String p : patterns) {
            out.add(Pattern.compile(p));
        }
        return out;
    }

    /**
     * @param present   every interface of the host
     * @param requested names asked for; empty means "choose automatically"
     * @param excludes  full-match patterns of names never chosen automatically
     */
    public static Selected select(List<InterfaceDescription> present, Collection<String> requested,
            List<Pattern> excludes) {
        List<InterfaceDescription> chosen = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        if (!requested.isEmpty()) {
            Map<String, InterfaceDescription> byName = new LinkedHashMap<>();
            present.forEach(i -> byName.put(i.name(), i));
            for (String name : new LinkedHashSet<>(requested)) {
                InterfaceDescription i = byName.get(name);
                String why = i == null ? "no such interface" : unusable(i);
                if (why == null) {
                    chosen.add(i);
                } else {
                    skipped.put(name, why);
                }
            }
            return new Selected(chosen, skipped);
        }
        for (InterfaceDescription i : present) {
            String why = unusable(i);
            if (why == null && i.loopback()) {
                why = "loopback";
            }
            if (why == null) {
                for (Pattern p : excludes) {
                    if (p.matcher(i.name()).matches()) {
                        why = "name matches exclude pattern " + p.pattern();
                        break;
                    }
                }
            }
            if (why == null) {
                chosen.add(i);
            } else {
                skipped.put(i.name(), why);
            }
        }
        return new Selected(chosen, skipped);
    }

    /** Why ARP cannot be answered on this interface, or null when it can. */
    private static String unusable(InterfaceDescription i) {
        if (!i.up()) {
            return "down";
        }
        if (!i.ethernet() || i.mac().isEmpty()) {
            return "not Ethernet";
        }
        if (!i.broadcast()) {
            return "cannot broadcast";
        }
        if (i.memberOf().isPresent()) {
            return "enslaved to " + i.memberOf().get() + "; announce on " + i.memberOf().get() + " instead";
        }
        return null;
    }
}
