package dev.ferrite.speaker.handoff;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow handoff on one node: connects the ownership loop's results to {@link HandoffState} and
 * the state to {@link HandoffInstaller}. The loop thread calls {@link #onOwners}; metrics,
 * readiness and status read the volatile copies.
 */
public final class FlowHandoff {

    private static final Logger log = LoggerFactory.getLogger(FlowHandoff.class);
    private static final long COUNTS_CACHE_NANOS = 1_000_000_000L;
    /** Up to this many IPs that moved together get a log line each; more get one line. */
    private static final int LOGGED_ONE_BY_ONE = 5;
    /**
     * What can wait (routes armed ahead of time, routes of ended windows) is installed at most
     * this often, like kube-proxy's minimum sync period: in a burst of new Services each
     * install ran {@code ip} twice and {@code nft} once after every recompute, and the three
     * speakers' runs took as much CPU as a kube-proxy stand-in.
     */
    public static final Duration SETTLE_INTERVAL = Duration.ofSeconds(1);

    private final String node;
    private final HandoffInstaller installer;
    private final Clock clock;
    private final HandoffState state;
    private final HandoffInstaller.Availability availability;
    private final AtomicLong windowsOpened = new AtomicLong();
    private volatile List<HandoffWindow> windows = List.of();
    private volatile HandoffInstaller.Counts counts = HandoffInstaller.Counts.ZERO;
    private volatile long countsRead;
    private volatile boolean stopped;
    /** Routes and set the last recompute wants, not installed yet (loop thread). */
    private SortedMap<IpAddress, HandoffWindow> pending;
    /** When routes and set were last installed (loop thread). */
    private Instant lastApplied = Instant.MIN;

    private FlowHandoff(String node, HandoffSettings settings, HandoffInstaller installer, Clock clock,
            HandoffInstaller.Availability availability) {
        this.node = node;
        this.installer = installer;
        this.clock = clock;
        this.state = new HandoffState(node, settings.window(), installer.familiesOff());
        this.availability = availability;
    }

    /**
     * Removes what an earlier speaker on this node installed and installs this process's
     * (empty) rules. When that cannot work, handoff is off for the life of the process: the
     * speaker still announces, and says once why handoff is off.
     */
    public static FlowHandoff start(String node, HandoffSettings settings, HandoffCommands commands, Clock clock) {
        HandoffInstaller installer = new HandoffInstaller(settings, commands);
        HandoffInstaller.Availability a;
        if (!settings.enabled()) {
            a = new HandoffInstaller.Availability.Off("turned off (--no-flow-handoff)");
            log.info("node {}: flow handoff is off: turned off with --no-flow-handoff", node);
        } else {
            String tag = "ferrite speaker node=" + node + " pid=" + ProcessHandle.current().pid() + " started="
                    + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
            a = installer.start(tag);
            if (a instanceof HandoffInstaller.Availability.Off off) {
                log.warn("node {}: flow handoff is off, moved connections will be reset: {}", node, off.reason());
            } else {
                log.info("node {}: flow handoff on, window {} s", node, settings.window().toSeconds());
                installer.familiesOff().forEach((family, why) ->
                        log.warn("node {}: flow handoff of {} Service IPs is off, their moved connections will be reset: {}",
                                node, family, why));
            }
        }
        return new FlowHandoff(node, settings, installer, clock, a);
    }

    /** Feeds one recompute: the owner of every Service IP, and (asked lazily) the election without this node. */
    public void onOwners(Map<IpAddress, String> owners, Supplier<Map<IpAddress, String>> ownersWithoutSelf,
            Map<String, List<IpAddress>> nodeAddresses) {
        if (!on() || stopped) {
            return;
        }
        Instant now = clock.instant();
        HandoffState.Change c = state.update(owners, ownersWithoutSelf, nodeAddresses, now);
        SortedMap<IpAddress, HandoffWindow> wanted = armed(owners, nodeAddresses, now);
        wanted.putAll(state.windows());
        Map<IpAddress, HandoffWindow> installed = installer.installed();
        // Only a window whose route is not in place yet must be installed before the
        // announcement; re-arming IPs that moved between other nodes waits for settle(), so
        // a node gaining a third of 100 IPs sends its first gratuitous ARP without waiting
        // for a dozen nft and ip runs.
        boolean urgent = state.windows().values().stream().anyMatch(w -> !routes(installed, w));
        if (urgent) {
            // the windows now, over what is in place; the rest waits as well: a restarted
            // speaker taking back a third of 1,000 IPs would otherwise route all 1,000 first
            SortedMap<IpAddress, HandoffWindow> first = new TreeMap<>(installed);
            first.putAll(state.windows());
            installer.apply(first);
            lastApplied = now;
            pending = sameRoutes(first, wanted) ? null : wanted;
        } else {
            pending = sameRoutes(installed, wanted) ? null : wanted;
            if (!c.opened().isEmpty()) {
                // a window that opens over an armed route changes no rule, but a Service IP may
                // have become local since it was armed (checked before the announcement)
                installer.routeLocalAddresses(c.opened().stream().map(HandoffWindow::ip).collect(Collectors.toSet()));
            }
        }
        report(c);
    }

    /** True when {@code routes} sends {@code w}'s IP via {@code w}'s address. */
    private static boolean routes(Map<IpAddress, HandoffWindow> routes, HandoffWindow w) {
        HandoffWindow had = routes.get(w.ip());
        return had != null && had.via().equals(w.via());
    }

    /** True when both route the same IPs via the same addresses. */
    private static boolean sameRoutes(Map<IpAddress, HandoffWindow> a, Map<IpAddress, HandoffWindow> b) {
        return a.keySet().equals(b.keySet()) && b.values().stream().allMatch(w -> routes(a, w));
    }

    /** This node takes no part in the election now: see {@link HandoffState#sidelined}. */
    public void sidelined() {
        if (on() && !stopped) {
            state.sidelined();
        }
    }

    /**
     * Installs what the last {@link #onOwners} left for later (routes of IPs that moved
     * between other nodes, routes of windows that ended) unless something was installed less
     * than {@link #SETTLE_INTERVAL} ago; the ownership loop calls it once the recompute's
     * announcements are out, and recomputes again while {@link #unsettled} holds.
     */
    public void settle() {
        SortedMap<IpAddress, HandoffWindow> p = pending;
        if (p == null || !on() || stopped) {
            return;
        }
        Instant now = clock.instant();
        // a clock stepped back does not hold the install back
        if (!now.isBefore(lastApplied) && now.isBefore(lastApplied.plus(SETTLE_INTERVAL))) {
            return;
        }
        pending = null;
        installer.apply(p);
        lastApplied = now;
        publishWindows();
    }

    /** True while {@link #settle} has left something to install (loop thread). */
    public boolean unsettled() {
        return pending != null && on() && !stopped;
    }

    /**
     * Every Service IP another node owns, routed to that owner ahead of time. Such a
     * node never receives packets for the IP (clients send them to the owner's MAC) until the
     * IP moves here, and then the route to the previous owner is already in place when our
     * first gratuitous ARP leaves: rules installed only after the move lost the packets that
     * arrived in between (a reset connection per few drains in the lab).
     */
    private SortedMap<IpAddress, HandoffWindow> armed(Map<IpAddress, String> owners,
            Map<String, List<IpAddress>> nodeAddresses, Instant now) {
        SortedMap<IpAddress, HandoffWindow> out = new TreeMap<>();
        Map<IpFamily, String> off = installer.familiesOff();
        owners.forEach((ip, owner) -> {
            if (!owner.equals(node) && !off.containsKey(ip.family())) {
                HandoffState.addressOf(nodeAddresses.get(owner), ip.family())
                        .ifPresent(via -> out.put(ip, new HandoffWindow(ip, owner, via, now, Instant.MAX)));
            }
        });
        return out;
    }

    /** True when a window is due to close: the loop then recomputes, which closes it. */
    public boolean windowDue() {
        List<HandoffWindow> w = windows;
        if (w.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        return w.stream().anyMatch(x -> !now.isBefore(x.until()));
    }

    private void report(HandoffState.Change c) {
        for (HandoffState.Skipped s : c.skipped()) {
            log.info("IP {}: taken over from node {} without handoff: {}", s.ip(), s.fromNode(), s.reason());
        }
        if (c.isEmpty()) {
            return;
        }
        Map<List<String>, List<HandoffWindow>> ended = new LinkedHashMap<>();
        for (HandoffState.Closed x : c.closed()) {
            if (x.reason() != HandoffState.Reason.REPLACED) {
                ended.computeIfAbsent(List.of(x.window().fromNode(), x.reason().text()), k -> new ArrayList<>()).add(x.window());
            }
        }
        ended.forEach((fromAndWhy, ws) -> {
            if (ws.size() <= LOGGED_ONE_BY_ONE) {
                ws.forEach(w -> log.info("IP {}: handoff from node {} ended: {}", w.ip(), fromAndWhy.get(0), fromAndWhy.get(1)));
            } else {
                log.info("{} IPs ({}): handoff from node {} ended: {}", ws.size(), someIps(ws), fromAndWhy.get(0),
                        fromAndWhy.get(1));
            }
        });
        // One line per previous owner when many IPs move at once (a restarted node takes back a
        // third of 1,000): the first announcement waits for this, and 333 lines took 0.6 s.
        Map<IpAddress, HandoffWindow> installed = installer.installed();
        Map<String, List<HandoffWindow>> opened = new LinkedHashMap<>();
        for (HandoffWindow w : c.opened()) {
            windowsOpened.incrementAndGet();
            if (installed.containsKey(w.ip())) {
                opened.computeIfAbsent(w.fromNode(), k -> new ArrayList<>()).add(w);
            }
        }
        opened.forEach((from, ws) -> {
            if (ws.size() <= LOGGED_ONE_BY_ONE) {
                ws.forEach(w -> log.info("IP {}: taken over from node {}; its flows go on through {} until {}", w.ip(), from,
                        w.via(), w.until()));
            } else {
                log.info("{} IPs ({}): taken over from node {}; their flows go on through {} until {}", ws.size(), someIps(ws),
                        from, ws.get(0).via(), ws.get(0).until());
            }
        });
        publishWindows();
    }

    /** The first few IPs of {@code ws}, for a log line about all of them. */
    private static String someIps(List<HandoffWindow> ws) {
        String first = ws.stream().limit(LOGGED_ONE_BY_ONE).map(w -> w.ip().toString()).collect(Collectors.joining(", "));
        return ws.size() > LOGGED_ONE_BY_ONE ? first + ", ..." : first;
    }

    /** The open windows whose rules are in the kernel, for metrics, readiness and status. */
    private void publishWindows() {
        Map<IpAddress, HandoffWindow> installed = installer.installed();
        windows = state.windows().values().stream().filter(w -> installed.containsKey(w.ip())).toList();
    }

    /** Removes this process's rules (on shutdown); later calls do nothing. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        int open = state.closeAll().size();
        windows = List.of();
        installer.stop();
        if (on()) {
            log.info("node {}: flow handoff rules removed ({} windows were open)", node, open);
        }
    }

    public boolean on() {
        return availability instanceof HandoffInstaller.Availability.On;
    }

    /** Empty when handoff works; otherwise why not. */
    public String offBecause() {
        return availability instanceof HandoffInstaller.Availability.Off off ? off.reason() : "";
    }

    /** The address families handed off on no IP here, each with why (empty: both work, or handoff is off). */
    public Map<IpFamily, String> familiesOff() {
        return on() ? installer.familiesOff() : Map.of();
    }

    /** The windows open now (their rules are in the kernel). */
    public List<HandoffWindow> windows() {
        return windows;
    }

    /** How many windows this process opened. */
    public long windowsOpened() {
        return windowsOpened.get();
    }

    /** Flows and packets handed off since this process started; read from the kernel at most once a second. */
    public HandoffInstaller.Counts counts() {
        if (!on() || stopped) {
            return counts;
        }
        long now = System.nanoTime();
        if (now - countsRead > COUNTS_CACHE_NANOS || countsRead == 0) {
            synchronized (this) {
                counts = installer.counts();
                countsRead = now;
            }
        }
        return counts;
    }
}
