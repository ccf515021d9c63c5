package dev.ferrite.speaker.arp.pcap;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.speaker.arp.Frame;
import dev.ferrite.speaker.arp.FrameCodec;
import dev.ferrite.speaker.arp.GarpSchedule;
import dev.ferrite.speaker.arp.InterfaceDescription;
import dev.ferrite.speaker.arp.InterfaceSelection;
import dev.ferrite.speaker.arp.MacAddress;
import dev.ferrite.speaker.arp.Responder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the announcement decisions of this node to the wire: one pcap handle and one
 * capture thread per interface, answering ARP requests and Neighbor Solicitations for the
 * IPs this node announces there (decided by {@link Responder}) and sending gratuitous ARP
 * or unsolicited Neighbor Advertisements when it gains an IP (on {@link GarpSchedule}).
 *
 * <p>Frames are read raw and decoded by {@link FrameCodec}, so the answer path does not
 * depend on pcap4j's packet factories. Handles use immediate mode (a frame is delivered the
 * moment it arrives, not when a buffer fills), capture inbound frames only, and are warmed
 * up with one harmless frame at open: the first send through a fresh handle costs about
 * 20 ms, which must not land on the first gratuitous ARP of a failover. Needs CAP_NET_RAW.
 *
 * <p>Interfaces are opened when first needed and stay open until {@link #close}. A handle
 * whose interface vanished is dropped and reopened by the next {@link #announce} naming it.
 */
public final class PcapAnnouncer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PcapAnnouncer.class);

    /** ARP, and ICMPv6 whose first payload byte (the type) is 135, Neighbor Solicitation. */
    static final String CAPTURE_FILTER = "arp or (icmp6 and ip6[40] == 135)";
    /** Long enough for an NS with source link-layer and nonce options (94 bytes). */
    static final int SNAPLEN = 128;
    /** pcap read timeout; immediate mode delivers at once, this only bounds idle polls. */
    static final int READ_TIMEOUT_MS = 100;
    /** IEEE 802 "local experimental" ethertype: nobody acts on the warm-up frame. */
    private static final int WARM_UP_ETHERTYPE = 0x88B5;

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

    /** One announced IP: the interfaces asked for, those it is announced on, and its generation. */
    private record Claim(Set<String> requested, Set<String> interfaces, long generation) {
    }

    private final Settings settings;
    private final List<Pattern> excludes;
    private final InterfaceSource source;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Map<IpAddress, Claim> claims = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicLong generations = new AtomicLong();
    private volatile boolean closed;

    private final LongAdder requestsSeen = new LongAdder();
    private final LongAdder neighborSolicitationsSeen = new LongAdder();
    private final LongAdder repliesSent = new LongAdder();
    private final LongAdder gratuitousSent = new LongAdder();
    private final LongAdder malformed = new LongAdder();

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
        settings.schedule().refresh().ifPresent(period -> announcer.scheduler.scheduleAtFixedRate(
                announcer::refresh, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
        return announcer;
    }

    /**
     * Announces {@code ip} on {@code interfaces} (empty: every suitable interface). A newly
     * gained IP, or a newly added interface, gets gratuitous frames at once and then on the
     * schedule. Calling it again with the same arguments does nothing, so the caller may
     * repeat it on every reconcile; that is also what reopens an interface whose capture
     * failed (it was deleted and recreated, say) and announces again there.
     *
     * @return whether anything changed
     */
    public synchronized boolean announce(IpAddress ip, Set<String> interfaces) throws IOException {
        return !announceAll(Map.of(ip, interfaces)).isEmpty();
    }

    /**
     * Announces every IP of {@code wanted} (IP to interfaces, as in {@link #announce}). The
     * first gratuitous frames of all of them go out before any slower work (the interface
     * list is read once, multicast groups are joined, repeats scheduled and lines logged
     * afterwards), so a node that gains many IPs at once does not make the last of them wait
     * for the others.
     *
     * @return the IPs for which anything changed
     */
    public synchronized Set<IpAddress> announceAll(Map<IpAddress, Set<String>> wanted) throws IOException {
        if (closed) {
            throw new IllegalStateException("announcer is closed");
        }
        Map<Set<String>, List<InterfaceDescription>> selected = new HashMap<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<IpAddress, Set<String>> e : wanted.entrySet()) {
            Set<String> requested = Set.copyOf(e.getValue());
            if (unchanged(claims.get(e.getKey()), requested)) {
                continue;
            }
            List<InterfaceDescription> candidates = selected.get(requested);
            if (candidates == null) {
                candidates = select(requested);
                selected.put(requested, candidates);
            }
            Change change = claim(e.getKey(), requested, candidates);
            if (change != null) {
                changes.add(change);
            }
        }
        Set<IpAddress> changed = new TreeSet<>();
        for (Change change : changes) {
            settle(change);
            changed.add(change.ip());
        }
        return changed;
    }

    /** Announced as requested, on interfaces whose capture still runs. */
    private boolean unchanged(Claim old, Set<String> requested) {
        return old != null && old.requested().equals(requested) && !old.interfaces().isEmpty()
                && links.keySet().containsAll(old.interfaces());
    }

    /** What claiming one IP changed, for the work done after every first frame is out. */
    private record Change(IpAddress ip, Set<String> requested, Set<String> names, Set<String> added,
            Set<String> removed, long generation, boolean sentFirst) {
    }

    /** Records the claim on {@code ip} and sends its first frames; null when nothing changes. */
    private Change claim(IpAddress ip, Set<String> requested, List<InterfaceDescription> candidates) throws IOException {
        Claim old = claims.get(ip);
        // Interfaces whose capture failed since the last call: reopened below, they need announcing again.
        Set<String> reopened = new TreeSet<>(old == null ? Set.of() : old.interfaces());
        reopened.removeAll(links.keySet());
        Set<String> names = new TreeSet<>();
        for (InterfaceDescription i : candidates) {
            if (link(i) != null) {
                names.add(i.name());
            }
        }
        reopened.retainAll(names);
        if (old != null && old.interfaces().equals(names) && reopened.isEmpty()) {
            claims.put(ip, new Claim(requested, names, old.generation()));
            return null;
        }
        long generation = old == null ? generations.incrementAndGet() : old.generation();
        claims.put(ip, new Claim(requested, names, generation));
        Set<String> added = new TreeSet<>(names);
        Set<String> removed = new TreeSet<>();
        if (old != null) {
            added.removeAll(old.interfaces());
            added.addAll(reopened);
            removed.addAll(old.interfaces());
            removed.removeAll(names);
        }
        // The first gratuitous frames are what end an outage: send them before anything slower.
        List<Duration> bursts = settings.schedule().bursts();
        boolean immediate = !bursts.isEmpty() && bursts.get(0).isZero();
        if (immediate) {
            for (String name : added) {
                sendGratuitous(ip, name, generation);
            }
        }
        return new Change(ip, requested, names, added, removed, generation, immediate);
    }

    /** The rest of claiming: multicast groups, the repeats on the schedule, the log. */
    private void settle(Change c) {
        List<Duration> bursts = settings.schedule().bursts();
        for (String name : c.removed()) {
            Link link = links.get(name);
            if (link != null) {
                link.leaveSolicitedNodeGroup(c.ip());
            }
        }
        for (String name : c.added()) {
            Link link = links.get(name);
            if (link != null) {
                link.joinSolicitedNodeGroup(c.ip());
            }
            for (Duration delay : c.sentFirst() ? bursts.subList(1, bursts.size()) : bursts) {
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
     * on every interface it is announced on.
     *
     * @return whether the IP is announced
     */
    public synchronized boolean reassert(IpAddress ip) {
        Claim claim = claims.get(ip);
        if (closed || claim == null) {
            return false;
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
        return true;
    }

    /**
     * Stops answering for {@code ip} at once and cancels its pending gratuitous frames.
     * ARP has no way to take an answer back; the new owner's gratuitous frames do that.
     *
     * @return whether it was announced
     */
    public synchronized boolean withdraw(IpAddress ip) {
        Claim claim = claims.remove(ip);
        if (claim == null) {
            return false;
        }
        for (String name : claim.interfaces()) {
            Link link = links.get(name);
            if (link != null) {
                link.leaveSolicitedNodeGroup(ip);
            }
        }
        log.info("withdrew {} from {}", ip, claim.interfaces());
        return true;
    }

    /** Every announced IP and the interfaces it is announced on. */
    public SortedMap<IpAddress, Set<String>> announcements() {
        SortedMap<IpAddress, Set<String>> out = new TreeMap<>();
        claims.forEach((ip, c) -> out.put(ip, c.interfaces()));
        return out;
    }

    /** Interfaces with an open handle, and their MAC. */
    public SortedMap<String, MacAddress> interfaces() {
        SortedMap<String, MacAddress> out = new TreeMap<>();
        links.forEach((name, l) -> out.put(name, l.mac));
        return out;
    }

    /** ARP requests and Neighbor Solicitations received, for any IP. */
    public long requestsSeen() {
        return requestsSeen.sum();
    }

    /** Neighbor Solicitations received, for any IP (the NDP part of {@link #requestsSeen()}). */
    public long neighborSolicitationsSeen() {
        return neighborSolicitationsSeen.sum();
    }

    /** ARP replies and solicited Neighbor Advertisements sent. */
    public long repliesSent() {
        return repliesSent.sum();
    }

    /** Gratuitous ARP frames (each form counts) and unsolicited Neighbor Advertisements sent. */
    public long gratuitousSent() {
        return gratuitousSent.sum();
    }

    /** Captured frames that claimed to be ARP or NDP but were broken. */
    public long malformed() {
        return malformed.sum();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        for (Link link : links.values()) {
            link.close();
        }
        links.clear();
        claims.clear();
        log.info("announcer stopped");
    }

    // ---------------------------------------------------------------- internals

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
            Link opened = new Link(i.name(), i.mac().orElseThrow());
            links.put(i.name(), opened);
            return opened;
        } catch (PcapNativeException | NotOpenException e) {
            log.warn("cannot capture on interface {}: {}", i.name(), e.getMessage());
            return null;
        } catch (LinkageError e) {
            throw new IOException("cannot load libpcap (Debian/Ubuntu package libpcap0.8): " + e, e);
        }
    }

    private void refresh() {
        claims.forEach((ip, claim) -> claim.interfaces()
                .forEach(name -> sendGratuitous(ip, name, claim.generation())));
    }

    /** Sends the gratuitous frames for {@code ip} on one interface unless it was withdrawn meanwhile. */
    private void sendGratuitous(IpAddress ip, String name, long generation) {
        Claim claim = claims.get(ip);
        Link link = links.get(name);
        if (closed || claim == null || claim.generation() != generation || !claim.interfaces().contains(name)
                || link == null) {
            return;
        }
        List<byte[]> frames = ip.family() == IpFamily.IPv4
                ? List.of(FrameCodec.gratuitousArpRequest(link.mac, ip), FrameCodec.gratuitousArpReply(link.mac, ip))
                : List.of(FrameCodec.unsolicitedNeighborAdvertisement(link.mac, ip));
        for (byte[] f : frames) {
            if (link.send(f)) {
                gratuitousSent.increment();
            }
        }
    }

    private boolean ownedOn(IpAddress ip, String name) {
        Claim c = claims.get(ip);
        return c != null && c.interfaces().contains(name);
    }

    private void onFrame(Link link, byte[] raw) {
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
        Responder.Answer answer = Responder.answer(frame, link.mac, ip -> ownedOn(ip, link.name));
        if (answer instanceof Responder.Reply reply && link.send(reply.frame())) {
            repliesSent.increment();
            log.debug("told {} that {} is at {} on {}", reply.to(), reply.ip(), link.mac, link.name);
        }
    }

    /** The frame that warms a handle up: to ourselves, of a type no host acts on. */
    static byte[] warmUpFrame(MacAddress mac) {
        byte[] f = new byte[60];
        mac.writeTo(f, 0);
        mac.writeTo(f, 6);
        f[12] = (byte) (WARM_UP_ETHERTYPE >> 8);
        f[13] = (byte) WARM_UP_ETHERTYPE;
        byte[] text = "ferrite announcer warm-up".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, f, 14, text.length);
        return f;
    }

    /** One interface: its pcap handle, capture thread and IPv6 multicast memberships. */
    private final class Link {
        final String name;
        final MacAddress mac;
        private final PcapHandle handle;
        private final Thread capture;
        private volatile boolean running = true;
        private DatagramChannel groups;
        private final Map<InetAddress, Set<IpAddress>> groupMembers = new HashMap<>();
        private final Map<InetAddress, MembershipKey> groupKeys = new HashMap<>();

        Link(String name, MacAddress mac) throws PcapNativeException, NotOpenException {
            this.name = name;
            this.mac = mac;
            long started = System.nanoTime();
            this.handle = new PcapHandle.Builder(name)
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MS)
                    .immediateMode(true)
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
            try {
                handle.setFilter(CAPTURE_FILTER, BpfProgram.BpfCompileMode.OPTIMIZE);
                long warmStart = System.nanoTime();
                handle.sendPacket(warmUpFrame(mac));
                long warmed = System.nanoTime();
                // Load the codec and responder classes now too, not on the first request.
                Responder.answer(FrameCodec.decode(FrameCodec.gratuitousArpRequest(mac, IpAddress.ofV4(0))), mac,
                        ip -> false);
                log.info("capturing on interface {} ({}): opened in {} ms, first send took {} µs", name, mac,
                        (warmStart - started) / 1_000_000, (warmed - warmStart) / 1_000);
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                handle.close();
                throw e;
            }
            this.capture = new Thread(this::captureLoop, "ferrite-capture-" + name);
            capture.setDaemon(true);
            capture.start();
        }

        /**
         * Runs pcap's own loop until {@link #close} breaks it. pcap_next_ex with a read
         * timeout would be simpler, but libpcap 1.10 in immediate mode blocks in it until a
         * frame arrives, so a quiet interface could never be closed; pcap_breakloop wakes it.
         */
        private void captureLoop() {
            try {
                handle.loop(-1, (RawPacketListener) raw -> {
                    try {
                        onFrame(this, raw);
                    } catch (RuntimeException e) {
                        // A bug in handling one frame must not stop answering for every IP here.
                        log.error("handling a frame on interface {} failed", name, e);
                    }
                });
            } catch (InterruptedException | NotOpenException e) {
                // broken by close()
            } catch (PcapNativeException e) {
                if (running && !closed) {
                    log.warn("capture on interface {} failed, dropping it until it is announced on again: {}",
                            name, e.getMessage());
                    links.remove(name, this);
                    running = false;
                    handle.close();
                }
            }
        }

        boolean send(byte[] frame) {
            try {
                handle.sendPacket(frame);
                return true;
            } catch (PcapNativeException e) {
                log.warn("sending on interface {} failed: {}", name, e.getMessage());
                return false;
            } catch (NotOpenException e) {
                return false;
            }
        }

        /**
         * NICs drop multicast for groups nobody joined, and the solicited-node group of a VIP
         * is not joined by the kernel unless the VIP is on this interface; joining it makes
         * Neighbor Solicitations for the VIP reach the capture.
         */
        synchronized void joinSolicitedNodeGroup(IpAddress ip) {
            if (ip.family() != IpFamily.IPv6) {
                return;
            }
            InetAddress group = solicitedNodeGroup(ip);
            try {
                if (groups == null) {
                    groups = DatagramChannel.open(StandardProtocolFamily.INET6);
                }
                NetworkInterface nif = NetworkInterface.getByName(name);
                if (nif == null) {
                    return;
                }
                if (!groupKeys.containsKey(group)) {
                    groupKeys.put(group, groups.join(group, nif));
                }
                groupMembers.computeIfAbsent(group, g -> new HashSet<>()).add(ip);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot join {} on interface {} for {}; solicitations may not reach us: {}", group, name,
                        ip, e.getMessage());
            }
        }

        synchronized void leaveSolicitedNodeGroup(IpAddress ip) {
            if (ip.family() != IpFamily.IPv6) {
                return;
            }
            InetAddress group = solicitedNodeGroup(ip);
            Set<IpAddress> members = groupMembers.get(group);
            if (members == null || !members.remove(ip) || !members.isEmpty()) {
                return;
            }
            groupMembers.remove(group);
            MembershipKey key = groupKeys.remove(group);
            if (key != null) {
                key.drop();
            }
        }

        void close() {
            running = false;
            try {
                handle.breakLoop();
            } catch (NotOpenException e) {
                // the capture already failed and closed it
            }
            try {
                capture.join(2L * READ_TIMEOUT_MS + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handle.close();
            synchronized (this) {
                if (groups != null) {
                    try {
                        groups.close();
                    } catch (IOException e) {
                        log.debug("closing multicast channel of {}: {}", name, e.getMessage());
                    }
                }
            }
        }
    }

    /** ff02::1:ffXX:XXXX, where XX:XXXX are the low 24 bits of {@code ip} (RFC 4291 §2.7.1). */
    static InetAddress solicitedNodeGroup(IpAddress ip) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xff;
        b[1] = 0x02;
        b[11] = 0x01;
        b[12] = (byte) 0xff;
        byte[] a = ip.toBytes();
        System.arraycopy(a, 13, b, 13, 3);
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
