package dev.ferrite.speaker.membership;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a {@link MemberTable} to UDP: one bound socket receives everything; one
 * connected socket per heartbeat target sends heartbeats, so that a target whose process
 * died (its port closed) answers with ICMP port-unreachable, which the connected socket
 * reports on the next read: the crash fast path. A re-probe sent as soon as the error is
 * seen confirms it before the member is declared dead. An idle TCP connection to each
 * heartbeat target ({@link LivenessConnections}) starts that re-probe the moment the target's
 * kernel closes it, rather than at the next heartbeat.
 *
 * <p>Threads: a receiver blocked on the bound socket; a port watcher blocked on a selector
 * over the heartbeat sockets and the TCP connections, which wakes when one of them has an
 * error to report or a connection closes, so the crash fast path waits for no timer; a
 * ticker that runs when something is due (heartbeats, after the port check again, since a
 * write consumes a pending error; suspicion timers, anti-entropy); and a listener thread so
 * callbacks never run under the table lock.
 */
public final class UdpMembership implements Membership {
    private static final Logger log = LoggerFactory.getLogger(UdpMembership.class);
    /**
     * The shortest gap between two ticks. The ticker runs when something is due: the next
     * heartbeat (every {@code probeInterval}, 200 ms by default), anti-entropy, or a member's
     * suspicion or confirm timer ({@link MemberTable#nextTimer}), not at a fixed rate, since
     * each tick wakes a speaker at rest. Crashes are seen by the port watcher, not the ticker.
     */
    static final long TICK_MILLIS = 5;
    /** How long after a liveness connection failed or closed another is tried, at the next heartbeat. */
    static final long RECONNECT_MILLIS = 5_000;

    private final MembershipConfig config;
    private final MessageCodec codec;
    private final MemberTable table;
    private final long epoch;
    private final AtomicLong seq = new AtomicLong();
    private final SplittableRandom random;
    private final Map<String, ReplayWindow> windows = new HashMap<>();
    private final Map<String, Probe> probes = new HashMap<>();
    /**
     * What {@link #checkPorts} reads into (under this object's lock): a direct buffer, which a
     * channel reads into without a temporary one; nothing read is ever looked at.
     */
    private final ByteBuffer portScratch = ByteBuffer.allocateDirect(16);
    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
    /** Members this one declared dead because their port answered unreachable (guarded by this). */
    private final Set<String> closedPorts = new HashSet<>();
    /** The healthy members the listeners were last told of, by a view or a suspicion change (guarded by this). */
    private Set<String> lastHealthy = Set.of();
    private volatile List<InetSocketAddress> seeds = List.of();

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    private final OutboundGate outbound;

    private DatagramChannel socket;
    private Thread receiver;
    private Selector portWatch;
    private LivenessConnections connections;
    private final AtomicLong connectionsLost = new AtomicLong();
    private Thread portWatcher;
    private ScheduledExecutorService ticker;
    private ExecutorService notifier;
    private volatile boolean running;
    private long nextHeartbeat;
    private long nextSync;
    private int syncRound;

    public UdpMembership(MembershipConfig config) {
        this(config, OutboundGate.OPEN);
    }

    /** A member whose datagrams leave only where {@code outbound} lets them. */
    public UdpMembership(MembershipConfig config, OutboundGate outbound) {
        this.outbound = outbound;
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        this.config = config;
        this.codec = new MessageCodec(config.secret().key());
        // The boot epoch doubles as first incarnation, so a restarted member outranks the
        // tombstone of its previous life without anybody having to forget it.
        this.epoch = System.currentTimeMillis();
        this.random = new SplittableRandom(epoch ^ config.nodeName().hashCode());
        this.table = new MemberTable(new Member(config.nodeName(), config.advertiseAddress(), epoch, MemberStatus.ALIVE),
                config.timing(), random);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            socket = DatagramChannel.open();
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            socket.bind(config.bindAddress());
            portWatch = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("membership cannot bind " + config.bindAddress() + ": " + e.getMessage(), e);
        }
        connections = new LivenessConnections(portWatch, config.nodeName());
        connections.listen(config.bindAddress());
        running = true;
        long now = now();
        nextHeartbeat = now;
        nextSync = now;
        receiver = new Thread(this::receiveLoop, "membership-rx-" + config.nodeName());
        receiver.setDaemon(true);
        receiver.start();
        portWatcher = new Thread(this::watchPorts, "membership-ports-" + config.nodeName());
        portWatcher.setDaemon(true);
        portWatcher.start();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "membership-tick-" + config.nodeName()));
        scheduleTick(now);
        notifier = Executors.newSingleThreadExecutor(r -> daemon(r, "membership-view-" + config.nodeName()));
        log.info("membership of {} listening on {}, advertised as {}", config.nodeName(), config.bindAddress(),
                config.advertiseAddress());
    }

    @Override
    public void updateSeeds(Collection<InetSocketAddress> newSeeds) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (InetSocketAddress s : newSeeds) {
            InetSocketAddress r = s.isUnresolved() ? new InetSocketAddress(s.getHostString(), s.getPort()) : s;
            if (r.isUnresolved()) {
                log.warn("membership seed {} does not resolve; skipped", s.getHostString());
            } else if (!r.equals(config.advertiseAddress())) {
                resolved.add(r);
            }
        }
        seeds = List.copyOf(resolved);
    }

    @Override
    public synchronized Set<String> liveMembers() {
        return table.liveMembers();
    }

    @Override
    public synchronized Set<String> healthyMembers() {
        return table.healthyMembers();
    }

    @Override
    public synchronized Set<String> goneMembers() {
        Set<String> gone = new TreeSet<>(table.departed());
        closedPorts.removeIf(name -> !table.isDead(name));
        gone.addAll(closedPorts);
        return gone;
    }

    @Override
    public void addListener(Consumer<Set<String>> onChange) {
        listeners.add(onChange);
    }

    @Override
    public void leave() {
        synchronized (this) {
            if (!running) {
                return;
            }
            MemberTable.Outcome o = table.leave(now());
            // before the close: the watchers' connections end with the farewell, not as a crash
            connections.farewell();
            // Tell the ring neighbours and random members twice: a lost datagram here would turn a
            // planned handover into a silent-member timeout. The predecessors above all: their
            // heartbeats to this closed port would bounce, and two bounces declare it dead.
            for (int i = 0; i < 2; i++) {
                Set<InetSocketAddress> targets = new HashSet<>();
                table.heartbeatTargets().forEach(m -> targets.add(m.address()));
                for (String watcher : table.watched()) {
                    Member m = table.get(watcher);
                    if (m != null) {
                        targets.add(m.address());
                    }
                }
                table.randomLive(config.gossipFanout(), Set.of()).forEach(m -> targets.add(m.address()));
                for (InetSocketAddress t : targets) {
                    send(socket, t, MembershipMessage.Type.GOSSIP, false, o.news());
                }
            }
            log.info("membership of {} left the cluster", config.nodeName());
        }
        close();
    }

    @Override
    public MembershipStats stats() {
        long suspicions;
        long refutations;
        long deaths;
        long stalls;
        synchronized (this) {
            stalls = table.stalls();
            suspicions = table.suspicionsRaised();
            refutations = table.refutations();
            deaths = table.deathsDeclared();
        }
        return new MembershipStats(sent.get(), received.get(), bytesSent.get(), bytesReceived.get(), authFailures.get(),
                replays.get(), malformed.get(), suspicions, refutations, deaths, stalls, connectionsLost.get());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            ticker.shutdownNow();
            notifier.shutdown();
            closeQuietly(socket);
            probes.values().forEach(this::closeProbe);
            probes.clear();
            connections.close();
        }
        receiver.interrupt();
        try {
            portWatch.close();
        } catch (IOException e) {
            log.debug("membership of {}: closing the port watch: {}", config.nodeName(), e.toString());
        }
    }

    String nodeName() {
        return config.nodeName();
    }

    /** Heartbeat targets this member holds a connected liveness connection to. */
    synchronized int livenessConnections() {
        return (int) probes.values().stream().filter(p -> p.link != null && p.link.connected()).count();
    }

    InetSocketAddress address() {
        return config.advertiseAddress();
    }

    // ---- receiving ----

    private void receiveLoop() {
        // direct: the channel receives into it without a temporary buffer of its own
        ByteBuffer buf = ByteBuffer.allocateDirect(MessageCodec.MAX_DATAGRAM + 64);
        byte[] data = new byte[buf.capacity()];
        while (running) {
            try {
                buf.clear();
                socket.receive(buf);
                int length = buf.position();
                received.incrementAndGet();
                bytesReceived.addAndGet(length);
                buf.flip().get(data, 0, length);
                handle(data, length);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (running) {
                    log.warn("membership of {} failed to handle a datagram: {}", config.nodeName(), e.toString());
                }
            }
        }
    }

    private void handle(byte[] data, int length) {
        MessageCodec.Decoded d = codec.decode(data, length);
        if (d instanceof MessageCodec.Decoded.Unauthenticated) {
            if (authFailures.incrementAndGet() % 100 == 1) {
                log.warn("membership of {} dropped an unauthenticated datagram (wrong secret?), {} so far",
                        config.nodeName(), authFailures.get());
            }
            return;
        }
        if (d instanceof MessageCodec.Decoded.Malformed bad) {
            malformed.incrementAndGet();
            log.debug("membership of {} dropped a malformed datagram: {}", config.nodeName(), bad.reason());
            return;
        }
        MessageCodec.Decoded.Valid v = (MessageCodec.Decoded.Valid) d;
        MembershipMessage m = v.message();
        synchronized (this) {
            if (!running || m.sender().name().equals(config.nodeName())) {
                return;
            }
            if (!windows.computeIfAbsent(m.sender().name(), n -> new ReplayWindow()).accept(v.epoch(), v.seq())) {
                replays.incrementAndGet();
                return;
            }
            long now = now();
            MemberTable.Outcome o = table.heardFrom(m.sender(), m.type() == MembershipMessage.Type.HEARTBEAT, now);
            dispatch(o, m.sender().name());
            switch (m.type()) {
                case HEARTBEAT, GOSSIP -> {
                    // One push for all the news in a datagram, not one per claim.
                    MemberTable.Outcome all = MemberTable.Outcome.NONE;
                    for (Member c : m.claims()) {
                        all = all.plus(table.apply(c, now));
                    }
                    dispatch(all, m.sender().name());
                }
                case SYNC -> {
                    if (m.digest() != table.digest()) {
                        sendState(m.sender().address(), true);
                    }
                }
                case STATE -> {
                    // Full states carry everything the sender knows; pushing all of it on as news would
                    // turn every join into a storm of N-claim gossip. It rides on heartbeats instead.
                    dispatch(table.merge(m.claims(), now), m.sender().name(), false);
                    if (m.replyWanted()) {
                        sendState(m.sender().address(), false);
                    }
                }
            }
        }
    }

    // ---- ticking ----

    /** Plans the next tick for {@code at} (milliseconds, {@link #now()}), or at once if that has passed. */
    private void scheduleTick(long at) {
        long t = now();
        long planned = Math.max(at, t);
        try {
            ticker.schedule(() -> tickSafely(planned), planned - t, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped
        }
    }

    private void tickSafely(long plannedAt) {
        long next;
        try {
            next = tick(plannedAt);
        } catch (RuntimeException e) {
            log.warn("membership tick of {} failed: {}", config.nodeName(), e.toString());
            next = now() + config.probeInterval().toMillis();
        }
        if (running) {
            scheduleTick(next);
        }
    }

    /**
     * Heartbeats, timers and anti-entropy that are due; returns when the next tick is due: the
     * next heartbeat, sync or member timer ({@link MemberTable#nextTimer}), at least
     * {@link #TICK_MILLIS} away, so that a speaker at rest wakes about once per heartbeat.
     */
    private synchronized long tick(long plannedAt) {
        if (!running) {
            return Long.MAX_VALUE;
        }
        long now = now();
        // before any heartbeat goes out: a write to a socket with a pending error consumes it
        checkPorts(now);
        if (now >= nextHeartbeat) {
            // Fixed rate, so tick granularity does not stretch the interval; after a stall, one catch-up.
            long interval = config.probeInterval().toMillis();
            nextHeartbeat = Math.max(nextHeartbeat + interval, now - interval);
            heartbeat();
        }
        MemberTable.Outcome timers = table.tick(now, now - plannedAt);
        for (Member m : timers.news()) {
            log.info("membership of {}: {} is now {} (no heartbeat or refutation in time)", config.nodeName(), m.name(),
                    m.status());
        }
        dispatch(timers, null);
        if (now >= nextSync) {
            boolean alone = table.liveMembers().size() <= 1;
            // Alone means joining (or cut off): knock on seeds quickly; otherwise once per interval.
            long interval = alone ? 2 * config.probeInterval().toMillis() : config.syncInterval().toMillis();
            nextSync = now + interval / 2 + random.nextLong(interval);
            sync(alone);
        }
        long next = Math.min(Math.min(nextHeartbeat, nextSync), table.nextTimer(now));
        return Math.max(next, now + TICK_MILLIS);
    }

    /**
     * Waits on the heartbeat sockets: an ICMP error (or a stray datagram) makes one readable,
     * and the port check runs at once rather than at the next tick.
     */
    private void watchPorts() {
        List<LivenessConnections.Link> lost = new ArrayList<>();
        while (running) {
            try {
                if (portWatch.select() > 0) {
                    boolean heartbeatSocket = false;
                    lost.clear();
                    for (SelectionKey key : portWatch.selectedKeys()) {
                        if (key.attachment() == null) {
                            heartbeatSocket = true;
                        } else {
                            connections.ready(key, lost::add);
                        }
                    }
                    portWatch.selectedKeys().clear();
                    synchronized (this) {
                        if (running) {
                            long now = now();
                            if (heartbeatSocket) {
                                checkPorts(now);
                            }
                            lost.forEach(link -> connectionLost(link, now));
                        }
                    }
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("membership port watch of {} failed: {}", config.nodeName(), e.toString());
                sleepQuietly(config.probeInterval().toMillis());
            }
        }
    }

    /**
     * A heartbeat target's kernel closed our connection to it without the farewell of a leave:
     * its process may have ended. Probe it now; two bounces declare it dead ({@link #checkPorts}).
     */
    private void connectionLost(LivenessConnections.Link link, long now) {
        Probe p = probes.get(link.name);
        if (p == null || p.link != link) {
            return;
        }
        connectionsLost.incrementAndGet();
        p.link = null;
        p.nextConnect = now + RECONNECT_MILLIS;
        log.info("membership of {}: connection to {} at {} closed, probing it at once", config.nodeName(), p.name,
                p.address);
        heartbeatTo(p, List.of());
    }

    /** The crash fast path: read pending ICMP errors on the connected heartbeat sockets. */
    private void checkPorts(long now) {
        // every socket read first: acting on a closed port changes the probes
        List<Probe> closed = new ArrayList<>();
        for (Probe p : probes.values()) {
            try {
                portScratch.clear();
                p.channel.read(portScratch);
            } catch (PortUnreachableException e) {
                closed.add(p);
            } catch (IOException e) {
                log.debug("membership of {}: heartbeat socket to {} failed: {}", config.nodeName(), p.name, e.toString());
            }
        }
        for (Probe p : closed) {
            if (p.firstClosedPort == Long.MIN_VALUE || now - p.firstClosedPort > 2 * config.probeInterval().toMillis()) {
                // One ICMP error could be stale (a restart) or forged; probe again at once and
                // declare the member dead only if that probe bounces too.
                p.firstClosedPort = now;
                heartbeatTo(p, List.of());
            } else {
                log.info("membership of {}: port of {} at {} is closed, declaring it dead", config.nodeName(), p.name,
                        p.address);
                closedPorts.add(p.name);
                dispatch(table.unreachable(p.name, now), null);
            }
        }
    }

    private void heartbeat() {
        List<Member> targets = table.heartbeatTargets();
        Set<String> names = new HashSet<>();
        for (Member t : targets) {
            names.add(t.name());
            Probe p = probes.get(t.name());
            if (p != null && !p.address.equals(t.address())) {
                closeProbe(p);
                p = null;
            }
            if (p == null) {
                p = openProbe(t);
                if (p == null) {
                    continue;
                }
                probes.put(t.name(), p);
            }
        }
        for (String gone : List.copyOf(probes.keySet())) {
            if (!names.contains(gone)) {
                closeProbe(probes.remove(gone));
            }
        }
        long now = now();
        for (Probe p : probes.values()) {
            if (p.link != null && !p.link.open()) {
                p.link = null;
            }
            if (p.link == null && now >= p.nextConnect) {
                p.nextConnect = now + RECONNECT_MILLIS;
                p.link = connections.connect(p.name, new InetSocketAddress(config.advertiseAddress().getAddress(), 0),
                        p.address);
            }
        }
        List<Member> news = table.piggyback(8);
        for (Probe p : probes.values()) {
            heartbeatTo(p, news);
        }
    }

    private void heartbeatTo(Probe p, List<Member> news) {
        for (List<Member> chunk : MessageCodec.pack(table.self(), news)) {
            send(p.channel, p.address, MembershipMessage.Type.HEARTBEAT, false, chunk);
        }
    }

    private Probe openProbe(Member target) {
        try {
            DatagramChannel ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress(config.advertiseAddress().getAddress(), 0));
            ch.connect(target.address());
            ch.configureBlocking(false);
            ch.register(portWatch, SelectionKey.OP_READ);
            portWatch.wakeup();
            return new Probe(target.name(), target.address(), ch);
        } catch (IOException e) {
            log.warn("membership of {} cannot open a heartbeat socket to {} at {}: {}", config.nodeName(), target.name(),
                    target.address(), e.toString());
            return null;
        }
    }

    private void closeProbe(Probe p) {
        closeQuietly(p.channel);
        connections.close(p.link);
    }

    private void sync(boolean alone) {
        Set<InetSocketAddress> known = new HashSet<>();
        for (String n : table.liveMembers()) {
            known.add(table.get(n).address());
        }
        List<InetSocketAddress> unknownSeeds = seeds.stream().filter(s -> !known.contains(s)).toList();
        InetSocketAddress target = null;
        // Alternate between a seed we are not connected to (joins, healing partitions) and a
        // random member (repairing anything gossip lost).
        if (!unknownSeeds.isEmpty() && (alone || syncRound++ % 2 == 0)) {
            target = unknownSeeds.get(random.nextInt(unknownSeeds.size()));
        } else {
            List<Member> peer = table.randomLive(1, Set.of());
            if (!peer.isEmpty()) {
                target = peer.get(0).address();
            }
        }
        if (target != null) {
            send(socket, target, MembershipMessage.Type.SYNC, true, List.of());
        }
    }

    // ---- sending ----

    private void sendState(InetSocketAddress to, boolean replyWanted) {
        boolean first = true;
        for (List<Member> chunk : MessageCodec.pack(table.self(), table.claims())) {
            send(socket, to, MembershipMessage.Type.STATE, replyWanted && first, chunk);
            first = false;
        }
    }

    /** Gossips news to random members and to the subjects of suspicions, and passes verdicts to their subjects. */
    private void dispatch(MemberTable.Outcome o, String from) {
        dispatch(o, from, true);
    }

    private void dispatch(MemberTable.Outcome o, String from, boolean push) {
        if (o.isEmpty()) {
            return;
        }
        boolean refutation = o.news().stream().anyMatch(n -> n.name().equals(config.nodeName()));
        if (!o.news().isEmpty() && (push || refutation)) {
            Set<String> exclude = new HashSet<>();
            Map<String, InetSocketAddress> targets = new HashMap<>();
            boolean refuted = refutation;
            Member source = from == null ? null : table.get(from);
            if (refuted) {
                log.info("membership of {} refuted a claim from {} that it is not alive; incarnation now {}",
                        config.nodeName(), from, table.self().incarnation());
            }
            if (refuted && source != null) {
                // The claimant must hear the refutation before its suspicion is confirmed.
                targets.put(source.name(), source.address());
            } else if (from != null) {
                exclude.add(from);
            }
            for (Member n : o.news()) {
                exclude.add(n.name());
                if (n.status() == MemberStatus.SUSPECT && !n.name().equals(config.nodeName())) {
                    targets.put(n.name(), n.address());
                }
            }
            for (Member m : table.randomLive(config.gossipFanout(), exclude)) {
                targets.put(m.name(), m.address());
            }
            for (InetSocketAddress t : targets.values()) {
                for (List<Member> chunk : MessageCodec.pack(table.self(), o.news())) {
                    send(socket, t, MembershipMessage.Type.GOSSIP, false, chunk);
                }
            }
        }
        for (Member verdict : o.verdicts()) {
            send(socket, verdict.address(), MembershipMessage.Type.GOSSIP, false, List.of(verdict));
        }
        Set<String> healthy = table.healthyMembers();
        boolean healthChanged = !healthy.equals(lastHealthy);
        lastHealthy = healthy;
        if (!o.viewChanged() && !healthChanged) {
            return;
        }
        Set<String> view = table.liveMembers();
        if (o.viewChanged()) {
            // Forget the replay state of members that left the view: a restarted speaker whose
            // clock stepped back would otherwise be locked out as a replayer forever. A replay of
            // a dead member's old datagram is harmless: its incarnation cannot resurrect it.
            windows.keySet().retainAll(view);
            log.info("membership view of {} changed: {} members {}", config.nodeName(), view.size(), view);
        }
        if (!notifier.isShutdown()) {
            // Listeners registered after this change must not hear about it late.
            List<Consumer<Set<String>>> current = List.copyOf(listeners);
            notifier.execute(() -> current.forEach(l -> l.accept(view)));
        }
    }

    private void send(DatagramChannel ch, InetSocketAddress to, MembershipMessage.Type type, boolean replyWanted,
                                        List<Member> claims) {
        if (!outbound.passes(to)) {
            return;
        }
        byte[] data = codec.encode(new MembershipMessage(type, table.self(), table.digest(), replyWanted, claims), epoch,
                seq.incrementAndGet());
        try {
            if (ch.isConnected()) {
                ch.write(ByteBuffer.wrap(data));
            } else {
                ch.send(ByteBuffer.wrap(data), to);
            }
            sent.incrementAndGet();
            bytesSent.addAndGet(data.length);
        } catch (PortUnreachableException e) {
            // Reported by checkPorts on the next read as well; nothing to do here.
        } catch (IOException e) {
            if (running) {
                log.debug("membership of {} could not send to {}: {}", config.nodeName(), to, e.toString());
            }
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Closing: nothing left to do with it.
        }
    }

    /** A connected heartbeat socket to one ring successor, and the liveness connection to it. */
    private static final class Probe {
        final String name;
        final InetSocketAddress address;
        final DatagramChannel channel;
        long firstClosedPort = Long.MIN_VALUE;
        /** Null while none is open; another is tried at the first heartbeat after {@link #nextConnect}. */
        LivenessConnections.Link link;
        long nextConnect = Long.MIN_VALUE;

        Probe(String name, InetSocketAddress address, DatagramChannel channel) {
            this.name = name;
            this.address = address;
            this.channel = channel;
        }
    }
}
