package dev.ferrite.speaker.arp.pcap;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.speaker.arp.ClaimWatch;
import dev.ferrite.speaker.arp.Claims;
import dev.ferrite.speaker.arp.ConflictProbes;
import dev.ferrite.speaker.arp.Frame;
import dev.ferrite.speaker.arp.FrameCodec;
import dev.ferrite.speaker.arp.GarpRefresh;
import dev.ferrite.speaker.arp.GarpSchedule;
import dev.ferrite.speaker.arp.InterfaceDescription;
import dev.ferrite.speaker.arp.InterfaceSelection;
import dev.ferrite.speaker.arp.MacAddress;
import dev.ferrite.speaker.arp.ProbeTiming;
import dev.ferrite.speaker.arp.Responder;
import dev.ferrite.speaker.coalesce.Repeating;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.ProbeResult;
import dev.ferrite.speaker.ownership.Announcer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapNativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The announcer on the wire: answers ARP requests and Neighbor Solicitations for the IPs
 * this node announces (decided by {@link Responder} from {@link Claims}) and sends
 * gratuitous ARP or unsolicited Neighbor Advertisements when it gains an IP (on
 * {@link GarpSchedule}). Each interface is one {@link PcapLink} (handle and capture thread)
 * and its {@link SolicitedNodeGroups}.
 *
 * <p>Frames are read raw and decoded by {@link FrameCodec}, so the answer path does not
 * depend on pcap4j's packet factories.
 *
 * <p>Before an IP is first announced the ownership loop may have it probed ({@link #probe}):
 * probes go out on {@link ProbeTiming}, and an answer from a MAC outside the cluster
 * ({@link ClaimWatch.InUse}) ends the probe at once.
 *
 * <p>Interfaces are opened when first needed and stay open until {@link #close}. A handle
 * whose interface vanished is dropped and reopened by the next {@link #announce} naming it.
 */
public final class PcapAnnouncer implements Announcer {

    private static final Logger log = LoggerFactory.getLogger(PcapAnnouncer.class);

    /** Where the host's interfaces come from: /sys/class/net in production, a list in tests. */
    @FunctionalInterface
    public interface InterfaceSource {
        List<InterfaceDescription> read() throws IOException;
    }

    /**
     * @param interfaces      interfaces meaning "all suitable" when an announcement names
     *                        none; empty: choose automatically
     * @param excludePatterns names never chosen automatically (full-match regular expressions)
     * @param schedule        when gratuitous frames go out
     */
    public record Settings(List<String> interfaces, List<String> excludePatterns, GarpSchedule schedule) {
        public static final Settings DEFAULT =
                new Settings(List.of(), InterfaceSelection.DEFAULT_EXCLUDES, GarpSchedule.DEFAULT);

        public Settings {
            interfaces = List.copyOf(interfaces);
            excludePatterns = List.copyOf(excludePatterns);
        }
    }

    /** One open interface: the capture and the multicast groups joined on it. */
    private record Link(PcapLink pcap, SolicitedNodeGroups groups) {
    }

    private final Settings settings;
    private final List<Pattern> excludes;
    private final InterfaceSource source;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Claims claims = new Claims();
    private final ScheduledExecutorService scheduler;
    private final PcapLink.Listener listener = new PcapLink.Listener() {
        @Override
        public void onFrame(PcapLink link, byte[] raw) {
            PcapAnnouncer.this.onFrame(link, raw);
        }

        @Override
        public void onCaptureFailed(PcapLink link, String reason) {
            PcapAnnouncer.this.onCaptureFailed(link, reason);
        }
    };
    private volatile boolean closed;
    /** Set by {@link #handOver()}: address probes for our IPs are the successors'. */
    private volatile boolean handingOver;
    private volatile Map<IpAddress, Duration> refreshPeriods = Map.of();
    /** Wall-clock time of the previous tick (scheduler thread only); 0 before the first. */
    private long lastTick;

    private final LongAdder requestsSeen = new LongAdder();
    private final LongAdder neighborSolicitationsSeen = new LongAdder();
    private final LongAdder repliesSent = new LongAdder();
    private final LongAdder gratuitousSent = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final Map<IpAddress, LongAdder> foreignClaims = new ConcurrentHashMap<>();
    /** RFC 5227 DEFEND_INTERVAL: at most one re-assertion per IP this often, so two defenders never ping-pong. */
    static final Duration DEFEND_INTERVAL = Duration.ofSeconds(10);
    private final ClaimWatch claimWatch = new ClaimWatch(DEFEND_INTERVAL.toNanos());
    private volatile Predicate<String> memberMac = mac -> false;
    /** The other members' MACs, whose conflict probes the capture leaves out. */
    private volatile Set<MacAddress> probeSendersIgnored = Set.of();
    private volatile Consumer<ForeignClaim> claimListener = c -> { };
    private volatile Consumer<IpAddress> memberClaimListener = ip -> { };
    /** An IP being probed before its first announcement: where, and whom to tell. */
    private record Probe(Set<String> interfaces, Consumer<ProbeResult> done) {
    }

    private final Map<IpAddress, Probe> probes = new ConcurrentHashMap<>();
    /** Probes that ended "free" recently, and when: an answer that comes late still counts (see {@link #LATE_ANSWER}). */
    private final Map<IpAddress, Map.Entry<Probe, Long>> recentlyFree = new ConcurrentHashMap<>();
    /**
     * An answer to a probe read this long after the probe said "free" still makes the IP in use:
     * on a loaded machine the capture thread can fall behind the probe's wait. The IP was
     * announced meanwhile; the ownership loop withdraws it again.
     */
    static final Duration LATE_ANSWER = Duration.ofSeconds(1);
    static final ProbeTiming PROBE_TIMING = ProbeTiming.DEFAULT;

    private PcapAnnouncer(Settings settings, InterfaceSource source) {
        this.settings = settings;
        this.excludes = InterfaceSelection.compile(settings.excludePatterns());
        this.source = source;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferrite-garp");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts on the interfaces of this network namespace as read from /sys/class/net. */
    public static PcapAnnouncer start(Settings settings) throws IOException {
        return start(settings, SysfsInterfaces::read);
    }

    /**
     * Opens and warms up a handle on every suitable interface now, so the first announcement
     * does not pay for it, and starts the periodic refresh if the schedule has one.
     */
    public static PcapAnnouncer start(Settings settings, InterfaceSource source) throws IOException {
        PcapAnnouncer announcer = new PcapAnnouncer(settings, source);
        synchronized (announcer) {
            for (InterfaceDescription i : announcer.select(Set.of())) {
                announcer.link(i);
            }
        }
        announcer.warmUpVerdicts();
        // One tick for the gratuitous refresh (even with refresh off: an L2Advertisement's
        // garpRefresh may turn it on later) and the conflict probes, each spread over its period.
        announcer.scheduleTick();
        return announcer;
    }

    /**
     * The next tick: after {@link GarpRefresh#TICK} while a refresh is on, whose spreading needs
     * the finer steps, else after {@link ConflictProbes#TICK}, so that a speaker at rest wakes
     * once a second for its probes rather than twenty times.
     */
    private void scheduleTick() {
        Repeating.start(scheduler, this::tick, () -> {
            boolean refreshing = !refreshPeriods.isEmpty() || settings.schedule().refresh().isPresent();
            return (refreshing ? GarpRefresh.TICK : ConflictProbes.TICK).toMillis();
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws UncheckedIOException when libpcap cannot be loaded or the interfaces cannot be read
     */
    @Override
    public synchronized void announce(Map<IpAddress, Set<String>> wanted) {
        try {
            announceAll(wanted);
        } catch (IOException e) {
            throw new UncheckedIOException("IPs " + wanted.keySet() + ": opening a capture handle failed: " + e.getMessage(), e);
        }
    }

    /**
     * Announces every IP of {@code wanted} on its interfaces (empty: every suitable
     * interface). A newly gained IP, or a newly added interface, gets gratuitous frames at
     * once and then on the schedule. The first gratuitous frames of all of them go out before
     * any slower work (the interface list is read once, multicast groups are joined, repeats
     * scheduled and lines logged afterwards), so a node that gains many IPs at once does not
     * make the last of them wait for the others. Calling it again with the same arguments does
     * nothing, so the caller may repeat it on every reconcile; that is also what reopens an
     * interface whose capture failed (it was deleted and recreated, say) and announces again there.
     *
     * @return the IPs for which anything changed
     */
    public synchronized Set<IpAddress> announceAll(Map<IpAddress, Set<String>> wanted) throws IOException {
        if (closed) {
            throw new IllegalStateException("announcer is closed");
        }
        Map<Set<String>, List<InterfaceDescription>> selected = new HashMap<>();
        List<Claims.Change> changes = new ArrayList<>();
        for (Map.Entry<IpAddress, Set<String>> e : wanted.entrySet()) {
            Set<String> requested = Set.copyOf(e.getValue());
            if (claims.unchanged(e.getKey(), requested, links.keySet())) {
                continue;
            }
            Claims.Change change = claim(e.getKey(), requested, select(requested, selected));
            if (change != null) {
                changes.add(change);
            }
        }
        Set<IpAddress> changed = new TreeSet<>();
        for (Claims.Change change : changes) {
            settle(change);
            changed.add(change.ip());
        }
        return changed;
    }

    /** Opens the interfaces, records the claim on {@code ip} and sends its first frames; null when nothing changes. */
    private Claims.Change claim(IpAddress ip, Set<String> requested, List<InterfaceDescription> candidates)
            throws IOException {
        Set<String> openBefore = new HashSet<>(links.keySet());
        Set<String> names = new TreeSet<>();
        for (InterfaceDescription i : candidates) {
            if (link(i) != null) {
                names.add(i.name());
            }
        }
        Claims.Change change = claims.claim(ip, requested, openBefore, names);
        // The first gratuitous frames are what end an outage: send them before anything slower.
        if (change != null && firstBurstImmediate()) {
            for (String name : change.added()) {
                sendGratuitous(ip, name, change.generation());
            }
        }
        return change;
    }

    private boolean firstBurstImmediate() {
        List<Duration> bursts = settings.schedule().bursts();
        return !bursts.isEmpty() && bursts.get(0).isZero();
    }

    /** The rest of claiming: multicast groups, the repeats on the schedule, the log. */
    private void settle(Claims.Change c) {
        List<Duration> bursts = settings.schedule().bursts();
        boolean sentFirst = firstBurstImmediate();
        for (String name : c.removed()) {
            Link link = links.get(name);
            if (link != null) {
                link.groups().leave(c.ip());
            }
        }
        for (String name : c.added()) {
            Link link = links.get(name);
            if (link != null) {
                link.groups().join(c.ip());
            }
            for (Duration delay : sentFirst ? bursts.subList(1, bursts.size()) : bursts) {
                scheduler.schedule(() -> sendGratuitous(c.ip(), name, c.generation()), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (c.names().isEmpty()) {
            log.warn("cannot announce {}: no usable interface among {}", c.ip(),
                    c.requested().isEmpty() ? "the suitable ones" : c.requested());
        } else if (!c.added().isEmpty()) {
            log.info("announcing {} on {}", c.ip(), c.added());
        }
        if (!c.removed().isEmpty()) {
            log.info("stopped announcing {} on {}", c.ip(), c.removed());
        }
    }

    /**
     * Sends the gratuitous frames of an announced IP again, immediately and on the schedule,
     * on every interface it is announced on; a no-op for an IP not announced.
     */
    @Override
    public synchronized void reassert(IpAddress ip) {
        Claims.Claim claim = claims.get(ip);
        if (closed || claim == null) {
            return;
        }
        for (String name : claim.interfaces()) {
            for (Duration delay : settings.schedule().bursts()) {
                if (delay.isZero()) {
                    sendGratuitous(ip, name, claim.generation());
                } else {
                    scheduler.schedule(() -> sendGratuitous(ip, name, claim.generation()), delay.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /**
     * Stops answering for {@code ip} at once and cancels its pending gratuitous frames.
     * ARP has no way to take an answer back; the new owner's gratuitous frames do that.
     */
    @Override
    public synchronized void withdraw(IpAddress ip) {
        Claims.Claim claim = claims.withdraw(ip);
        if (claim == null) {
            return;
        }
        for (String name : claim.interfaces()) {
            Link link = links.get(name);
            if (link != null) {
                link.groups().leave(ip);
            }
        }
        log.info("withdrew {} from {}", ip, claim.interfaces());
    }

    @Override
    public SortedMap<IpAddress, Set<String>> announcements() {
        return claims.announcements();
    }

    @Override
    public Set<String> macs() {
        Set<String> out = new TreeSet<>();
        links.values().forEach(l -> out.add(l.pcap().mac.toString()));
        return out;
    }

    @Override
    public void resolveNeighbours(Collection<IpAddress> addresses) {
        if (closed || addresses.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Link> e : links.entrySet()) {
            List<Map.Entry<IpAddress, Integer>> own = ownAddresses(e.getKey());
            MacAddress mac = e.getValue().pcap().mac;
            for (IpAddress peer : addresses) {
                ownAddressFacing(peer, own).ifPresent(from -> {
                    byte[] f = peer.family() == IpFamily.IPv4 ? FrameCodec.arpRequest(mac, from, peer)
                            : FrameCodec.neighborSolicitation(mac, from, peer);
                    if (e.getValue().pcap().send(f)) {
                        log.debug("asked {} for its MAC on {} from {}", peer, e.getKey(), from);
                    }
                });
            }
        }
    }

    /** The addresses of an interface with their prefix lengths; none when it cannot be read. */
    private static List<Map.Entry<IpAddress, Integer>> ownAddresses(String name) {
        List<Map.Entry<IpAddress, Integer>> out = new ArrayList<>();
        try {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni != null) {
                for (InterfaceAddress a : ni.getInterfaceAddresses()) {
                    out.add(Map.entry(IpAddress.of(a.getAddress()), (int) a.getNetworkPrefixLength()));
                }
            }
        } catch (SocketException e) {
            log.warn("cannot read the addresses of interface {}: {}", name, e.getMessage());
        }
        return out;
    }

    /** Of {@code own} (addresses with prefix lengths), one whose subnet holds {@code peer}, if any. */
    static Optional<IpAddress> ownAddressFacing(IpAddress peer, List<Map.Entry<IpAddress, Integer>> own) {
        return own.stream()
                .filter(a -> !a.getKey().equals(peer) && IpRange.ofPrefix(a.getKey(), a.getValue()).contains(peer))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** Interfaces with an open handle, and their MAC. */
    public SortedMap<String, MacAddress> interfaces() {
        SortedMap<String, MacAddress> out = new TreeMap<>();
        links.forEach((name, l) -> out.put(name, l.pcap().mac));
        return out;
    }

    /**
     * Packet counters since start: ARP requests and Neighbor Solicitations received for any
     * IP, replies and solicited Neighbor Advertisements sent, gratuitous frames sent (each
     * ARP form counts), and captured frames that claimed to be ARP or NDP but were broken.
     */
    @Override
    public AnnouncerCounts counts() {
        long solicitations = neighborSolicitationsSeen.sum();
        return new AnnouncerCounts(requestsSeen.sum() - solicitations, solicitations, repliesSent.sum(),
                gratuitousSent.sum(), malformed.sum(), foreignClaimsByIp());
    }

    private Map<String, Long> foreignClaimsByIp() {
        Map<String, Long> out = new TreeMap<>();
        foreignClaims.forEach((ip, n) -> out.put(ip.toString(), n.sum()));
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        for (Link link : links.values()) {
            link.pcap().close();
            link.groups().close();
        }
        links.clear();
        claims.clear();
        probes.clear();
        recentlyFree.clear();
        log.info("announcer stopped");
    }

    // ---------------------------------------------------------------- internals

    /**
     * {@link #select(Set)} once per set of requested interfaces in a call over many IPs
     * ({@code selected} holds the call's answers): each selection reads every interface's
     * sysfs files.
     */
    private List<InterfaceDescription> select(Set<String> requested, Map<Set<String>, List<InterfaceDescription>> selected)
            throws IOException {
        List<InterfaceDescription> candidates = selected.get(requested);
        if (candidates == null) {
            candidates = select(requested);
            selected.put(requested, candidates);
        }
        return candidates;
    }

    private List<InterfaceDescription> select(Set<String> requested) throws IOException {
        Set<String> wanted = requested.isEmpty() ? new HashSet<>(settings.interfaces()) : requested;
        InterfaceSelection.Selected s = InterfaceSelection.select(source.read(), wanted, excludes);
        if (!wanted.isEmpty()) {
            s.skipped().forEach((name, why) -> log.warn("not announcing on interface {}: {}", name, why));
        }
        return s.chosen();
    }

    /**
     * The open link for an interface, opening it if needed; null when it cannot be opened.
     *
     * @throws IOException when libpcap itself cannot be loaded: no interface will work
     */
    private Link link(InterfaceDescription i) throws IOException {
        Link existing = links.get(i.name());
        if (existing != null) {
            return existing;
        }
        try {
            Link opened = new Link(new PcapLink(i.name(), i.mac().orElseThrow(), listener),
                    new SolicitedNodeGroups(i.name()));
            opened.pcap().excludeProbesFrom(probeSendersIgnored);
            links.put(i.name(), opened);
            return opened;
        } catch (PcapNativeException | NotOpenException e) {
            log.warn("cannot capture on interface {}: {}", i.name(), e.getMessage());
            return null;
        } catch (LinkageError e) {
            throw new IOException("cannot load libpcap (Debian/Ubuntu package libpcap0.8): " + e, e);
        }
    }

    private void onCaptureFailed(PcapLink failed, String reason) {
        if (closed) {
            return;
        }
        log.warn("capture on interface {} failed, dropping it until it is announced on again: {}", failed.name, reason);
        Link link = links.get(failed.name);
        if (link != null && link.pcap() == failed && links.remove(failed.name, link)) {
            link.groups().close();
        }
    }

    @Override
    public void refreshPeriods(Map<IpAddress, Duration> periods) {
        refreshPeriods = Map.copyOf(periods);
    }

    /**
     * One tick: the IPs whose refresh instant (see {@link GarpRefresh}) or conflict probe
     * instant (see {@link ConflictProbes}) passed since the last tick.
     */
    private void tick() {
        long now = System.currentTimeMillis();
        long from = lastTick;
        lastTick = now;
        if (from == 0) {
            return;
        }
        Set<IpAddress> ips = claims.ips();
        if (ips.isEmpty()) {
            return;
        }
        try {
            for (IpAddress ip : ConflictProbes.due(ips, from, now)) {
                Claims.Claim claim = claims.get(ip);
                if (claim != null) {
                    claim.interfaces().forEach(name -> probe(ip, name));
                }
            }
        } catch (RuntimeException e) {
            log.warn("probing announced IPs failed: {}", e.toString());
        }
        Map<IpAddress, Duration> periods = refreshPeriods;
        if (periods.isEmpty() && settings.schedule().refresh().isEmpty()) {
            return;
        }
        for (IpAddress ip : GarpRefresh.due(ips, periods, settings.schedule().refresh(), from, now)) {
            Claims.Claim claim = claims.get(ip);
            if (claim != null) {
                claim.interfaces().forEach(name -> sendGratuitous(ip, name, claim.generation()));
            }
        }
    }

    /** Sends the gratuitous frames for {@code ip} on one interface unless it was withdrawn meanwhile. */
    private void sendGratuitous(IpAddress ip, String name, long generation) {
        Link link = links.get(name);
        if (closed || link == null || !claims.current(ip, name, generation)) {
            return;
        }
        MacAddress mac = link.pcap().mac;
        List<byte[]> frames = ip.family() == IpFamily.IPv4
                ? List.of(FrameCodec.gratuitousArpRequest(mac, ip), FrameCodec.gratuitousArpReply(mac, ip))
                : List.of(FrameCodec.unsolicitedNeighborAdvertisement(mac, ip));
        for (byte[] f : frames) {
            if (link.pcap().send(f)) {
                gratuitousSent.increment();
            }
        }
    }

    @Override
    public void watchClaims(Predicate<String> member, Consumer<ForeignClaim> listener) {
        this.memberMac = member;
        this.claimListener = listener;
    }

    @Override
    public void ignoreProbesFrom(Set<String> memberMacs) {
        Set<MacAddress> macs = new HashSet<>();
        for (String text : memberMacs) {
            MacAddress.parse(text).ifPresent(macs::add);
        }
        probeSendersIgnored = Set.copyOf(macs);
        links.values().forEach(l -> l.pcap().excludeProbesFrom(probeSendersIgnored));
    }

    @Override
    public void handOver() {
        handingOver = true;
    }

    @Override
    public void watchMemberClaims(Consumer<IpAddress> listener) {
        this.memberClaimListener = listener;
    }

    @Override
    public synchronized void probe(Map<IpAddress, Set<String>> ips, Consumer<ProbeResult> done) {
        if (closed) {
            return;
        }
        Map<Set<String>, List<InterfaceDescription>> selected = new HashMap<>();
        for (Map.Entry<IpAddress, Set<String>> e : ips.entrySet()) {
            IpAddress ip = e.getKey();
            if (probes.containsKey(ip)) {
                continue;
            }
            Set<String> names = new TreeSet<>();
            try {
                for (InterfaceDescription i : select(Set.copyOf(e.getValue()), selected)) {
                    if (link(i) != null) {
                        names.add(i.name());
                    }
                }
            } catch (IOException ex) {
                log.warn("cannot probe {}: {}", ip, ex.getMessage());
            }
            if (names.isEmpty()) {
                // nothing to probe on: announce() will say why it cannot announce either
                tell(done, new ProbeResult.Free(ip));
                continue;
            }
            probes.put(ip, new Probe(names, done));
            for (Duration at : PROBE_TIMING.sendAt()) {
                if (at.isZero()) {
                    sendProbes(ip);
                } else {
                    scheduler.schedule(() -> sendProbes(ip), at.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            scheduler.schedule(() -> finishProbe(ip, new ProbeResult.Free(ip)), PROBE_TIMING.answerWithin().toMillis(),
                    TimeUnit.MILLISECONDS);
            log.info("probing {} on {} before announcing it", ip, names);
        }
    }

    /**
     * Runs the capture side of a probe answer once (decode, verdict, result) before any probe:
     * cold, its first run took longer than the probe's whole wait on a loaded 2-core machine, so
     * the first answer of a speaker's life was read after the probe had already said "free".
     */
    private void warmUpVerdicts() {
        MacAddress other = new MacAddress(0x02_00_00_00_00_01L);
        for (IpAddress ip : List.of(IpAddress.ofV4(1), new IpAddress(IpFamily.IPv6, 0x2001_0db8_0000_0000L, 1))) {
            byte[] raw = ip.family() == IpFamily.IPv4 ? FrameCodec.gratuitousArpReply(other, ip)
                    : FrameCodec.unsolicitedNeighborAdvertisement(other, ip);
            if (claimWatch.observe(FrameCodec.decode(raw), m -> false, m -> false, x -> false, x -> true, System.nanoTime())
                    instanceof ClaimWatch.InUse u) {
                tell(r -> { }, new ProbeResult.InUse(u.ip(), u.mac().toString(), u.how(), "warm-up"));
            }
            tell(r -> { }, new ProbeResult.Free(ip));
        }
    }

    private void sendProbes(IpAddress ip) {
        Probe p = probes.get(ip);
        if (closed || p == null) {
            return;
        }
        for (String name : p.interfaces()) {
            Link link = links.get(name);
            if (link != null) {
                MacAddress mac = link.pcap().mac;
                link.pcap().send(ip.family() == IpFamily.IPv4 ? FrameCodec.arpProbe(mac, ip)
                        : FrameCodec.duplicateAddressDetection(mac, ip));
            }
        }
    }

    /** Ends the probe of {@code ip} with {@code result}, the first time only. */
    private void finishProbe(IpAddress ip, ProbeResult result) {
        Probe p = probes.remove(ip);
        if (p == null) {
            return;
        }
        if (result instanceof ProbeResult.InUse u) {
            log.warn("IP {} is in use by {} ({} on {}), a host outside the cluster: not announcing it", ip, u.mac(),
                    u.how(), u.interfaceName());
        } else {
            log.info("probe of {} on {}: no answer from outside the cluster", ip, p.interfaces());
            recentlyFree.put(ip, Map.entry(p, System.nanoTime()));
        }
        tell(p.done(), result);
    }

    private static void tell(Consumer<ProbeResult> done, ProbeResult result) {
        try {
            done.accept(result);
        } catch (RuntimeException e) {
            log.warn("reporting the probe of {} failed: {}", result.ip(), e.toString());
        }
    }

    private boolean probingOn(IpAddress ip, String name) {
        Probe p = probes.get(ip);
        return p != null && p.interfaces().contains(name);
    }

    /** One ARP probe or DAD solicitation per announced IP and interface. */
    /** The conflict probe of an announced IP on one interface (ARP probe, DAD). */
    private void probe(IpAddress ip, String name) {
        Link link = links.get(name);
        if (link == null) {
            return;
        }
        MacAddress mac = link.pcap().mac;
        link.pcap().send(ip.family() == IpFamily.IPv4 ? FrameCodec.arpProbe(mac, ip)
                : FrameCodec.duplicateAddressDetection(mac, ip));
    }

    private boolean ourMac(MacAddress mac) {
        for (Link l : links.values()) {
            if (l.pcap().mac.equals(mac)) {
                return true;
            }
        }
        return false;
    }

    private void watch(PcapLink link, Frame frame) {
        ClaimWatch.Verdict v = claimWatch.observe(frame, this::ourMac, m -> memberMac.test(m.toString()),
                ip -> claims.ownedOn(ip, link.name), ip -> probingOn(ip, link.name), System.nanoTime());
        if (v instanceof ClaimWatch.InUse u) {
            finishProbe(u.ip(), new ProbeResult.InUse(u.ip(), u.mac().toString(), u.how(), link.name));
            return;
        }
        if (v instanceof ClaimWatch.MemberClaim m) {
            memberClaimListener.accept(m.ip());
            return;
        }
        if (!(v instanceof ClaimWatch.ForeignClaim c)) {
            return;
        }
        Map.Entry<Probe, Long> free = recentlyFree.remove(c.ip());
        if (free != null && System.nanoTime() - free.getValue() < LATE_ANSWER.toNanos()) {
            log.warn("IP {}: {} from {} on {} answered its probe late: in use after all", c.ip(), c.how(), c.mac(), link.name);
            tell(free.getKey().done(), new ProbeResult.InUse(c.ip(), c.mac().toString(), c.how(), link.name));
            return;
        }
        foreignClaims.computeIfAbsent(c.ip(), ip -> new LongAdder()).increment();
        if (c.defend()) {
            log.warn("IP {}: {} from {} on {} claims it, but this node announces it; re-announcing (at most every {} s)",
                    c.ip(), c.how(), c.mac(), link.name, DEFEND_INTERVAL.toSeconds());
            reassert(c.ip());
        }
        try {
            claimListener.accept(new ForeignClaim(c.ip(), c.mac().toString(), c.how(), link.name, c.defend()));
        } catch (RuntimeException e) {
            log.warn("reporting the claim of {} on {} failed: {}", c.mac(), c.ip(), e.toString());
        }
    }

    private void onFrame(PcapLink link, byte[] raw) {
        Frame frame = FrameCodec.decode(raw);
        if (frame instanceof Frame.Malformed m) {
            malformed.increment();
            log.debug("malformed frame on {}: {}", link.name, m.reason());
            return;
        }
        boolean question = frame instanceof Frame.NeighborSolicitation
                || (frame instanceof Frame.ArpFrame a && a.operation() == Frame.ArpOperation.REQUEST);
        if (question) {
            requestsSeen.increment();
            if (frame instanceof Frame.NeighborSolicitation) {
                neighborSolicitationsSeen.increment();
            }
        }
        Responder.Answer answer = Responder.answer(frame, link.mac, ip -> claims.ownedOn(ip, link.name), handingOver);
        if (answer instanceof Responder.Reply reply && link.send(reply.frame())) {
            repliesSent.increment();
            log.debug("told {} that {} is at {} on {}", reply.to(), reply.ip(), link.mac, link.name);
        }
        watch(link, frame);
    }
}
