package dev.ferrite.speaker.handoff;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link HandoffRules} to the node with {@code nft} and {@code ip}. Thin: decisions
 * are made by {@link HandoffState}; this keeps the kernel's routes and set in line with the
 * open windows, and removes everything on {@link #start} (a predecessor's rules, even after a
 * crash) and on {@link #stop}. Not thread-safe; the ownership loop's thread drives it.
 */
public final class HandoffInstaller {

    private static final Logger log = LoggerFactory.getLogger(HandoffInstaller.class);
    private static final Pattern FAILED_LINE = Pattern.compile("Command failed -:(\\d+)");
    private static final Pattern COUNTER = Pattern.compile("counter (\\w+) \\{\\s*packets (\\d+) bytes (\\d+)");

    private final HandoffRules rules;
    private final HandoffCommands commands;
    private final Map<IpAddress, HandoffWindow> installed = new HashMap<>();
    private volatile boolean started;
    private final java.util.Set<IpFamily> localMoved = java.util.EnumSet.noneOf(IpFamily.class);
    private final Map<IpFamily, String> familiesOff = new java.util.EnumMap<>(IpFamily.class);

    /** Whether handoff works on this node. */
    public sealed interface Availability {
        record On() implements Availability {
        }

        record Off(String reason) implements Availability {
        }
    }

    /** Flows adopted and packets forwarded since this process installed its table. */
    public record Counts(long flows, long packets) {
        public static final Counts ZERO = new Counts(0, 0);
    }

    public HandoffInstaller(HandoffSettings settings, HandoffCommands commands) {
        this.rules = new HandoffRules(settings);
        this.commands = commands;
    }

    /**
     * Removes what an earlier speaker process on this node installed, then installs an empty
     * table and the policy rules. Off, with the reason, when the tools or the capability are
     * missing; nothing is left installed then. IPv6 handoff alone is off (see
     * {@link #familiesOff}) when the node does not forward IPv6 or refuses its policy rule.
     */
    public Availability start(String ownerTag) {
        Optional<String> missing = removeAll();
        if (missing.isPresent()) {
            return new Availability.Off(missing.get());
        }
        HandoffCommands.Result forward = commands.run(List.of("cat", "/proc/sys/net/ipv4/ip_forward"));
        if (forward.ok() && forward.output().equals("0")) {
            return new Availability.Off("IPv4 forwarding is off on this node (net.ipv4.ip_forward=0)");
        }
        HandoffCommands.Result table = commands.nft(rules.table(ownerTag));
        if (!table.ok()) {
            return new Availability.Off(problem("nft", table));
        }
        HandoffCommands.Result expiry = commands.nft(rules.expiry());
        if (!expiry.ok()) {
            log.warn("handoff: adopted flows keep the kernel's conntrack timeouts (5 minutes after their last packet; a new "
                    + "connection reusing such a flow's client port may then be misrouted): {}", problem("nft", expiry));
        }
        HandoffCommands.Result rule = commands.ip(rules.ruleAdd(IpFamily.IPv4));
        if (!rule.ok()) {
            commands.nft(rules.deleteTable());
            return new Availability.Off(problem("ip rule", rule));
        }
        HandoffCommands.Result forward6 = commands.run(List.of("cat", "/proc/sys/net/ipv6/conf/all/forwarding"));
        if (!forward6.ok()) {
            familiesOff.put(IpFamily.IPv6, "IPv6 is off on this node (no /proc/sys/net/ipv6)");
        } else if (forward6.output().equals("0")) {
            familiesOff.put(IpFamily.IPv6, "IPv6 forwarding is off on this node (net.ipv6.conf.all.forwarding=0)");
        } else {
            HandoffCommands.Result rule6 = commands.ip(rules.ruleAdd(IpFamily.IPv6));
            if (!rule6.ok()) {
                familiesOff.put(IpFamily.IPv6, "IPv6 handoff is off: " + problem("ip -6 rule", rule6));
            }
        }
        started = true;
        return new Availability.On();
    }

    /** The families handed off on no IP of this node, each with why (empty: both work). */
    public Map<IpFamily, String> familiesOff() {
        return Map.copyOf(familiesOff);
    }

    /**
     * Brings routes and the set of handed-off IPs in line with {@code windows}: new routes
     * first, then the set (one nft transaction), then the routes of windows that ended. A
     * window whose route the kernel refuses (the previous owner's address is not on a link of
     * this node) is left out and logged.
     */
    public void apply(SortedMap<IpAddress, HandoffWindow> windows) {
        if (!started) {
            return;
        }
        SortedMap<IpAddress, HandoffWindow> wanted = new TreeMap<>();
        List<HandoffWindow> toRoute = new ArrayList<>();
        for (HandoffWindow w : windows.values()) {
            HandoffWindow had = installed.get(w.ip());
            if (had != null && had.via().equals(w.via())) {
                wanted.put(w.ip(), w);
            } else {
                toRoute.add(w);
            }
        }
        for (IpFamily family : HandoffRules.FAMILIES) {
            routeAll(toRoute.stream().filter(w -> w.ip().family() == family).toList(), wanted);
        }
        routeLocalAddresses(wanted.keySet());
        HandoffCommands.Result set = commands.nft(rules.handedOff(wanted.values()));
        if (!set.ok()) {
            log.warn("handoff set update failed: {}", set.output());
        }
        for (IpFamily family : HandoffRules.FAMILIES) {
            List<List<String>> deletes = new ArrayList<>();
            for (IpAddress ip : installed.keySet()) {
                if (ip.family() == family && !wanted.containsKey(ip)) {
                    deletes.add(rules.routeDelete(ip));
                }
            }
            if (!deletes.isEmpty()) {
                commands.ipBatch(deletes);
            }
        }
        installed.clear();
        installed.putAll(wanted);
    }

    /** Adds the routes of {@code toRoute} (one family) in one batch; the windows the kernel took go into {@code wanted}. */
    private void routeAll(List<HandoffWindow> toRoute, SortedMap<IpAddress, HandoffWindow> wanted) {
        if (!toRoute.isEmpty()) {
            List<List<String>> lines = new ArrayList<>();
            toRoute.forEach(w -> lines.add(rules.routeAdd(w)));
            HandoffCommands.Result r = commands.ipBatch(lines);
            java.util.Set<Integer> failed = new java.util.HashSet<>();
            Matcher m = FAILED_LINE.matcher(r.output());
            while (m.find()) {
                failed.add(Integer.parseInt(m.group(1)));
            }
            if (!r.ok() && failed.isEmpty()) {
                log.warn("handoff: routes to previous owners refused: {}", r.output());
                failed.addAll(java.util.stream.IntStream.rangeClosed(1, toRoute.size()).boxed().toList());
            }
            for (int i = 0; i < toRoute.size(); i++) {
                HandoffWindow w = toRoute.get(i);
                if (failed.contains(i + 1)) {
                    log.warn("IP {}: no handoff to node {}: the route via {} was refused ({})", w.ip(), w.fromNode(), w.via(),
                            r.output().lines().findFirst().orElse(""));
                } else {
                    wanted.put(w.ip(), w);
                }
            }
        }
    }

    /**
     * Moves a family's local table rule behind the handoff rule once any of {@code ips} of that
     * family is a local address here. Checked on every apply and whenever a window opens, until
     * done: kube-proxy in IPVS mode may put a Service IP on kube-ipvs0 after its route was
     * armed, and the move that opens a window adds no route (the armed one stays).
     */
    public void routeLocalAddresses(java.util.Set<IpAddress> ips) {
        if (!started) {
            return;
        }
        java.util.Set<IpAddress> local = null;
        for (IpFamily family : HandoffRules.FAMILIES) {
            List<IpAddress> of = ips.stream().filter(ip -> ip.family() == family).toList();
            if (localMoved.contains(family) || familiesOff.containsKey(family) || of.isEmpty()) {
                continue;
            }
            if (local == null) {
                local = localAddresses();
            }
            if (of.stream().anyMatch(local::contains)) {
                moveLocalTable(family);
            }
        }
    }

    /** The IPs whose rules are in the kernel now. */
    public Map<IpAddress, HandoffWindow> installed() {
        return Map.copyOf(installed);
    }

    /** Counters of this process's table; zero when none is installed. */
    public Counts counts() {
        if (!started) {
            return Counts.ZERO;
        }
        HandoffCommands.Result r = commands.nftArgs(List.of("list", "counters", "table", "inet", HandoffRules.TABLE));
        if (!r.ok()) {
            return Counts.ZERO;
        }
        long flows = 0;
        long packets = 0;
        Matcher m = COUNTER.matcher(r.output());
        while (m.find()) {
            long p = Long.parseLong(m.group(2));
            if (m.group(1).equals("handed_flows")) {
                flows = p;
            }
            packets += p;
        }
        return new Counts(flows, packets);
    }

    /** Removes the table, routes and rule; a no-op when handoff never started. */
    public void stop() {
        if (!started) {
            return;
        }
        started = false;
        installed.clear();
        removeAll();
    }

    /**
     * The addresses on this node's interfaces, both families, from one {@code ip -o addr show}
     * (Service IPs on kube-ipvs0 among them).
     */
    private java.util.Set<IpAddress> localAddresses() {
        HandoffCommands.Result r = commands.ip(List.of("-o", "addr", "show"));
        java.util.Set<IpAddress> out = new java.util.HashSet<>();
        if (r.ok()) {
            for (String line : r.output().lines().toList()) {
                String[] w = line.trim().split("\\s+");
                for (int i = 0; i + 1 < w.length; i++) {
                    if (w[i].equals("inet") || w[i].equals("inet6")) {
                        int slash = w[i + 1].indexOf('/');
                        IpAddress.parse(slash < 0 ? w[i + 1] : w[i + 1].substring(0, slash)).ifPresent(out::add);
                    }
                }
            }
        }
        return out;
    }

    private void moveLocalTable(IpFamily family) {
        HandoffCommands.Result first = commands.ip(List.of(HandoffRules.flag(family), "rule", "show", "pref", "0"));
        if (first.ok() && first.output().contains("lookup local")) {
            List<List<String>> steps = rules.localTableBehind(family);
            HandoffCommands.Result add = commands.ip(steps.get(0));
            if (add.ok()) {
                commands.ip(steps.get(1));
                log.info("handoff: moved the {} local routing table's rule from preference 0 to {} (Service IPs are local addresses here)",
                        family, steps.get(0).get(4));
            } else {
                log.warn("handoff: cannot move the {} local table rule: {}", family, add.output());
            }
        }
        localMoved.add(family);
    }

    /** Deletes the table, the rule(s) and the routes; the reason when the tools or rights are missing. */
    private Optional<String> removeAll() {
        HandoffCommands.Result del = commands.nft(rules.deleteTable());
        if (!del.ok() && !del.output().contains("No such file")) {
            return Optional.of(problem("nft", del));
        }
        for (IpFamily family : HandoffRules.FAMILIES) {
            for (int i = 0; i < 16; i++) {
                HandoffCommands.Result r = commands.ip(rules.ruleDelete(family));
                if (!r.ok()) {
                    if (family == IpFamily.IPv4 && refused(r)) {
                        return Optional.of(problem("ip rule", r));
                    }
                    break;
                }
            }
            HandoffCommands.Result flush = commands.ip(rules.routesFlush(family));
            if (family == IpFamily.IPv4 && !flush.ok() && refused(flush)) {
                return Optional.of(problem("ip route", flush));
            }
        }
        return Optional.empty();
    }

    private static boolean refused(HandoffCommands.Result r) {
        return r.output().contains("Operation not permitted") || r.output().startsWith("cannot run");
    }

    private static String problem(String what, HandoffCommands.Result r) {
        String out = r.output().isBlank() ? "exit " + r.exit() : r.output().lines().findFirst().orElse("");
        if (out.contains("Operation not permitted")) {
            return what + ": " + out + " (the speaker needs CAP_NET_ADMIN for flow handoff)";
        }
        return what + ": " + out;
    }
}
