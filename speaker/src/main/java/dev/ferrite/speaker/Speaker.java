package dev.ferrite.speaker;

import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.http.HealthServer;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.speaker.arp.KernelNeighbours;
import dev.ferrite.speaker.handoff.FlowHandoff;
import dev.ferrite.speaker.handoff.HandoffCommands;
import dev.ferrite.speaker.handoff.HandoffWindow;
import dev.ferrite.speaker.k8s.ClusterInformers;
import dev.ferrite.speaker.k8s.ConfigTracker;
import dev.ferrite.speaker.k8s.JsonReader;
import dev.ferrite.speaker.k8s.KubeApi;
import dev.ferrite.speaker.k8s.ObjectViews;
import dev.ferrite.speaker.k8s.PeerSeeds;
import dev.ferrite.speaker.membership.MembershipConfig;
import dev.ferrite.speaker.membership.MembershipSecret;
import dev.ferrite.speaker.membership.MembershipView;
import dev.ferrite.speaker.membership.SecretFile;
import dev.ferrite.speaker.membership.UdpMembership;
import dev.ferrite.speaker.metrics.SpeakerMetrics;
import dev.ferrite.speaker.quorum.LeaseWitness;
import dev.ferrite.speaker.quorum.QuorumGuard;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.ownership.Announcer;
import dev.ferrite.speaker.ownership.IsolationGuard;
import dev.ferrite.speaker.ownership.MemberView;
import dev.ferrite.speaker.ownership.OwnershipLoop;
import dev.ferrite.speaker.election.Election;
import dev.ferrite.speaker.status.ServiceEvents;
import dev.ferrite.speaker.status.StatusName;
import dev.ferrite.speaker.status.StatusObjects;
import dev.ferrite.speaker.status.StatusWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running speaker: informers and the membership view feed the ownership loop, which
 * drives the announcer; status writes and metrics hang off the side. {@link #shutdown()} is
 * the graceful handover: leave the membership, wait (bounded) until each successor reports
 * that it announces our IPs, and only then stop answering.
 */
public final class Speaker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Speaker.class);
    /** Used when the API cannot tell us the successor announced: the time a successor needs to react. */
    static final Duration HANDOVER_FALLBACK_DELAY = Duration.ofMillis(500);
    private static final Duration HANDOVER_POLL = Duration.ofMillis(20);
    /**
     * How long an even-split side keeps what it announces while it contends for the tiebreak
     * (the race is one read and one update of a Lease); the winner takes the other side's IPs
     * this long plus {@link QuorumGuard#TAKEOVER_MARGIN_NANOS} after it saw the split.
     */
    static final Duration CONTEND_HOLD = Duration.ofMillis(500);
    /** How often the rule is re-run while a side contends or waits to take over: the hold's end is acted on at once. */
    static final Duration CONTEND_CHECK = Duration.ofMillis(50);
    /** At most one ForeignClaim Event per IP this often. */
    static final Duration CLAIM_EVENT_INTERVAL = Duration.ofSeconds(60);
    private final Map<IpAddress, Long> claimEvents = new java.util.concurrent.ConcurrentHashMap<>();

    private final SpeakerOptions options;
    private final KubeApi api;
    private final Announcer announcer;
    private final MemberView members;
    private final ConfigTracker config;
    private final StatusWriter status;
    private final OwnershipLoop loop;
    private final ClusterInformers informers;
    private final HealthServer metrics;
    private final FlowHandoff handoff;
    // Loop thread only: the last announcements and the handoff windows they were reported with.
    private Map<ServiceKey, ServiceAnnouncement> lastReport = Map.of();
    private boolean firstAnnounced;
    private List<HandoffWindow> reportedWindows = List.of();
    private final AtomicReference<List<InetSocketAddress>> seeds = new AtomicReference<>(List.of());
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean membershipStarted;
    private volatile String membershipFailure = "";
    /** How long start waits for the informers' first lists before it returns and joins later. */
    static final Duration JOIN_WAIT = Duration.ofSeconds(10);
    private final IsolationGuard guard;
    private final AtomicBoolean quarantineLogged = new AtomicBoolean();
    private final QuorumGuard quorum;
    private final LeaseWitness witness;

    /**
     * Starts a speaker with the production membership built from {@code options}.
     *
     * @throws IllegalArgumentException when the options cannot work (no membership secret and
     *                                  not insecure, no address peers can reach); the message
     *                                  names the flag to fix
     */
    public static Speaker start(SpeakerOptions options, KubeApi api, Announcer announcer)
            throws IOException {
        return start(options, api, announcer, startHandoff(options));
    }

    /**
     * Like {@link #start(SpeakerOptions, KubeApi, Announcer)} with flow handoff already
     * started ({@link #startHandoff}), which needs nothing from the API and so can start while
     * the API's access is read. The speaker owns {@code handoff} from here, and stops it if it cannot
     * start.
     */
    public static Speaker start(SpeakerOptions options, KubeApi api, Announcer announcer, FlowHandoff handoff)
            throws IOException {
        try {
            MembershipConfig config = membershipConfig(options, api);
            return new Speaker(options, api, announcer, new MembershipView(new UdpMembership(config)), handoff,
                    ConfigParser::parse);
        } catch (IOException | RuntimeException e) {
            handoff.stop();
            throw e;
        }
    }

    /** Flow handoff as {@code options} set it: its base rules installed, or off with the reason logged. */
    public static FlowHandoff startHandoff(SpeakerOptions options) {
        return FlowHandoff.start(options.node(), options.handoff(), HandoffCommands.local(), Clock.systemUTC());
    }

    /**
     * Starts a speaker with the given announcer and membership view. Returns once everything
     * is started; readiness follows when the informers have synced.
     */
    public static Speaker start(SpeakerOptions options, KubeApi api, Announcer announcer,
            MemberView members) throws IOException {
        return new Speaker(options, api, announcer, members, startHandoff(options), ConfigParser::parse);
    }

    /** The membership settings of {@code options}; user errors as IllegalArgumentException naming the flag. */
    static MembershipConfig membershipConfig(SpeakerOptions options, KubeApi api) throws IOException {
        MembershipSecret secret = membershipSecret(options);
        if (secret instanceof MembershipSecret.Insecure) {
            log.warn("membership runs without a secret (--insecure-membership): anybody on the network can forge members");
        }
        InetSocketAddress bind = options.membershipBind();
        InetSocketAddress advertise;
        if (options.membershipAdvertise().isPresent()) {
            advertise = literal(options.membershipAdvertise().get(), bind.getPort(), "--membership-advertise");
        } else if (!bind.isUnresolved() && !bind.getAddress().isAnyLocalAddress()) {
            advertise = bind;
        } else {
            String ip = ownInternalIp(api, options.node());
            if (ip == null) {
                throw new IllegalArgumentException("cannot tell peers how to reach node " + options.node()
                        + ": --membership-bind " + bind.getHostString() + ":" + bind.getPort()
                        + " is a wildcard and Node " + options.node() + " has no InternalIP; pass --membership-advertise");
            }
            advertise = literal(ip, bind.getPort(), "Node " + options.node() + " InternalIP");
        }
        MembershipConfig d = SpeakerOptions.MEMBERSHIP_DEFAULTS;
        MembershipConfig config = new MembershipConfig(options.node(), bind, advertise, secret, options.probeInterval(),
                options.suspicionTimeout(), d.confirmTimeout(), d.monitors(), d.gossipFanout(), d.syncInterval(),
                d.tombstoneTimeout());
        if (!config.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", config.problems()));
        }
        return config;
    }

    /** The first InternalIP of Node {@code node}, null when the Node or such an address is missing. */
    private static String ownInternalIp(KubeApi api, String node) throws IOException {
        Optional<String> body = api.getIfFound("/api/v1/nodes/" + node);
        return body.map(b -> ObjectViews.node(new JsonReader(b)).value())
                .flatMap(NodeView::internalIp).map(IpAddress::toString).orElse(null);
    }

    /** The shared secret, or the insecure key when asked for; refuses to guess. */
    static MembershipSecret membershipSecret(SpeakerOptions options) {
        if (options.membershipSecretFile().isPresent()) {
            SecretFile.Result r = SecretFile.load(options.membershipSecretFile().get());
            if (r instanceof SecretFile.Result.Loaded loaded) {
                return loaded.secret();
            }
            throw new IllegalArgumentException(((SecretFile.Result.Failed) r).message());
        }
        if (options.insecureMembership()) {
            return new MembershipSecret.Insecure();
        }
        throw new IllegalArgumentException("refusing to start without a membership secret: pass"
                + " --membership-secret-file FILE (a mounted Kubernetes Secret), or --insecure-membership for a lab");
    }

    private static InetSocketAddress literal(String host, int port, String what) {
        IpAddress ip = IpAddress.parse(host).orElseThrow(() -> new IllegalArgumentException(
                what + " \"" + host + "\" is not an IP address literal"));
        return new InetSocketAddress(ip.toInetAddress(), port);
    }

    private Speaker(SpeakerOptions options, KubeApi api, Announcer announcer, MemberView members,
            FlowHandoff handoff, BiFunction<List<IPAddressPool>, List<L2Advertisement>, ConfigResult> parser)
            throws IOException {
        this.options = options;
        this.announcer = announcer;
        this.members = members;
        this.config = new ConfigTracker(parser);
        this.api = api;
        this.status = new StatusWriter(api, options.namespace(), options.node(),
                new ServiceEvents(api, options.node(), Clock.systemUTC()));
        this.guard = new IsolationGuard(options.node(), Duration.ofSeconds(2), Duration.ofSeconds(30), System.nanoTime());
        this.quorum = new QuorumGuard(options.node(), CONTEND_HOLD.toNanos());
        AtomicReference<OwnershipLoop> loopRef = new AtomicReference<>();
        this.witness = new LeaseWitness(api, options.namespace(), options.node(), LeaseWitness.Timing.DEFAULT, System::nanoTime,
                () -> {
                    if (loopRef.get() != null) {
                        loopRef.get().requestRecompute();
                    }
                });
        AtomicReference<ClusterInformers> informersRef = new AtomicReference<>();
        this.loop = new OwnershipLoop(options.node(),
                () -> informersRef.get() == null ? ClusterSnapshot.EMPTY : informersRef.get().snapshot(),
                this::electorate, announcer, this::report, options.coalesce());
        loopRef.set(loop);
        loop.snapshotsCompleteWhen(() -> informersRef.get() != null && informersRef.get().synced());
        // the members' MACs come from their witness Leases: a probe answered by an unknown member would look foreign
        loop.probeWhen(() -> witness.state().expectedFromApi());
        // the failures that quarantine a node arrive without a view change: look again regularly
        loop.recheckEvery(Duration.ofSeconds(1), guard::quarantined);
        // fence and tiebreak times pass without any event: look again while members are missing
        // (the quorum rule enters these states only in a recompute)
        loop.recheckAfterRecomputeWhile(Duration.ofMillis(250), quorum::degraded);
        loop.recheckAfterRecomputeWhile(CONTEND_CHECK, quorum::contending);
        // an IP kept for a member that just joined is released on time
        loop.recheckAfterRecomputeWhile(Duration.ofMillis(100), loop::keepingForJoined);
        // A suspicion changes no view, but the quorum counts suspects as unseen: the minority side
        // of a partition must stop at its suspicion, before the majority declares it dead. The
        // membership tells its listeners (below) of suspicions too, so that needs no polling.
        this.handoff = handoff;
        loop.afterRecompute(this::handOff);
        loop.afterAnnouncing(handoff::settle);
        loop.recheckAfterRecomputeWhile(FlowHandoff.SETTLE_INTERVAL, handoff::unsettled);
        loop.recheckEvery(Duration.ofSeconds(1), handoff::windowDue);
        SpeakerMetrics speakerMetrics = new SpeakerMetrics(loop::announcedCount, announcer::counts, members::counts,
                () -> config.errors().isEmpty(), quorum::state);
        speakerMetrics.handoff(handoff);
        speakerMetrics.addressesInUse(loop::addressesInUse);
        this.metrics = HealthServer.start(options.metricsPort(), "ferrite-metrics", speakerMetrics, () -> "",
                this::notReadyBecause, this::readyDetail);
        try {
            AtomicReference<Set<String>> lastLive = new AtomicReference<>(Set.of());
            members.addListener(live -> {
                if (!lastLive.getAndSet(Set.copyOf(live)).containsAll(live)) {
                    witness.memberJoined();
                    resolveNeighbours();
                }
                loop.requestRecompute();
            });
            if (!options.membershipPeers().isEmpty()) {
                seeds.set(options.membershipPeers());
                members.updateSeeds(options.membershipPeers());
            }
            this.informers = ClusterInformers.start(api, options.namespace(), options.lbClass(), config, loop::requestRecompute,
                    this::nodesChanged);
            informersRef.set(informers);
        } catch (RuntimeException e) {
            metrics.close();
            loop.close();
            status.close();
            handoff.stop();
            throw e;
        }
        witness.ownMacs(announcer::macs);
        announcer.watchClaims(witness::mayBeMemberMac, this::foreignClaim);
        witness.onMemberMacs(announcer::ignoreProbesFrom);
        announcer.watchMemberClaims(loop::memberClaimed);
        witness.start();
        // Joining makes the others hand this node its IPs at once, so it joins only once it can
        // announce them: until its informers have listed, its closed port tells the others it
        // is not there, and whoever holds its IPs keeps them (a restarted speaker left a gap).
        boolean listed = awaitSynced(informers, JOIN_WAIT);
        long listedAfter = sinceProcessStart();
        try {
            if (listed) {
                joinMembership();
            } else {
                log.warn("node {}: the API has not been listed within {} s; joining the membership once it is",
                        options.node(), JOIN_WAIT.toSeconds());
                informers.whenSynced().thenRun(() -> {
                    try {
                        joinMembership();
                    } catch (IOException | RuntimeException e) {
                        membershipFailure = e.getMessage();
                        log.error("node {}: membership cannot start: {}", options.node(), e.getMessage());
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            witness.close();
            informers.close();
            metrics.close();
            loop.close();
            status.close();
            handoff.stop();
            throw e;
        }
        loop.requestRecompute();
        log.info("speaker on node {} started {} ms after its process (API listed at {} ms): namespace {}, membership {}, "
                + "metrics on port {}", options.node(), sinceProcessStart(), listedAfter, options.namespace(),
                options.membershipBind(), metrics.port());
    }

    /** Milliseconds since this JVM started: start-up figures in the log bound every restart and upgrade. */
    static long sinceProcessStart() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    private synchronized void joinMembership() throws IOException {
        if (stopped.get() || membershipStarted) {
            return;
        }
        members.start();
        membershipStarted = true;
        loop.requestRecompute();
    }

    private static boolean awaitSynced(ClusterInformers informers, Duration wait) {
        try {
            informers.whenSynced().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void nodesChanged(List<NodeView> nodes) {
        if (!options.membershipPeers().isEmpty()) {
            return;
        }
        List<InetSocketAddress> found = PeerSeeds.fromNodes(nodes, options.node(), options.membershipBind().getPort());
        if (!found.equals(seeds.getAndSet(found))) {
            members.updateSeeds(found);
        }
    }

    /**
     * Tells flow handoff the owner of every Service IP. The election without this node is what
     * the others computed while this process was not a member: for a speaker that just started,
     * or one that withheld its announcements (an empty electorate: it lost sight of most
     * members), the previous owner of each IP it takes back.
     */
    private void handOff(ClusterSnapshot snapshot, Set<String> live, OwnershipPlan plan, Supplier<OwnershipPlan> withoutSelf) {
        Map<String, List<IpAddress>> addresses = new HashMap<>();
        for (NodeView n : snapshot.nodes().values()) {
            addresses.put(n.name(), n.internalIps());
        }
        handoff.onOwners(owners(plan), () -> owners(withoutSelf.get()), addresses);
        if (!live.contains(options.node())) {
            handoff.sidelined();
        }
        if (!handoff.windows().equals(reportedWindows)) {
            report(lastReport);
        }
    }

    /** Hands the announcements, with the open handoff windows, to the status writer (loop thread). */
    private void report(Map<ServiceKey, ServiceAnnouncement> announcements) {
        if (!firstAnnounced && !announcements.isEmpty()) {
            firstAnnounced = true;
            log.info("node {}: first announcement {} ms after the process started", options.node(), sinceProcessStart());
        }
        lastReport = announcements;
        reportedWindows = handoff == null ? List.of() : handoff.windows();
        List<ServiceAnnouncement.Handoff> open = reportedWindows.stream()
                .map(w -> new ServiceAnnouncement.Handoff(w.ip(), w.fromNode(), w.until())).toList();
        Map<ServiceKey, ServiceAnnouncement> out = new LinkedHashMap<>();
        announcements.forEach((k, a) -> out.put(k, open.isEmpty() ? a : a.withHandoffs(open)));
        status.submit(out);
    }

    private static Map<IpAddress, String> owners(OwnershipPlan plan) {
        Map<IpAddress, String> owners = new HashMap<>();
        for (Map<IpAddress, OwnershipPlan.Decision> ips : plan.byService().values()) {
            ips.forEach((ip, d) -> {
                if (d instanceof OwnershipPlan.Owner o) {
                    owners.put(ip, o.node());
                }
            });
        }
        return owners;
    }

    /** What /readyz adds when ready: the state of flow handoff. */
    private String readyDetail() {
        if (!handoff.on()) {
            return "flow handoff off: " + handoff.offBecause();
        }
        String familiesOff = handoff.familiesOff().values().stream().map(why -> ", " + why).collect(Collectors.joining());
        return "flow handoff on, " + handoff.windows().size() + " windows open" + familiesOff;
    }

    /**
     * Asks every neighbour the kernel has not resolved for its MAC (see
     * {@link Announcer#resolveNeighbours}), on the membership's listener thread, before the
     * recompute that may take IPs back. After a link outage the kernel's entries for the hosts it
     * tried to reach meanwhile, the members that now join and this node's clients among them,
     * wait up to a second for their next retry, and until then packets to them queue:
     * kube-proxy's to the other nodes' pods, the pods' answers, flow handoff's to a previous
     * owner, and this node's answers to its clients once it announces.
     */
    private void resolveNeighbours() {
        announcer.resolveNeighbours(KernelNeighbours.unresolved(HandoffCommands.local()));
    }

    /** Flow handoff on this node: open windows, counters, and why it is off if it is. */
    public FlowHandoff handoff() {
        return handoff;
    }

    /** The live members the election may use (see {@link IsolationGuard} and {@link QuorumGuard}). */
    private Set<String> electorate() {
        Set<String> view = members.liveMembers();
        Set<String> live = guard.effectiveLive(view, members.counts().authFailures(), System.nanoTime());
        if (guard.rejecting()) {
            if (quarantineLogged.compareAndSet(false, true)) {
                log.error(guard.reason());
            }
        } else if (!guard.quarantined() && quarantineLogged.compareAndSet(true, false)) {
            log.info("node {}: membership authenticates again; announcing resumes", options.node());
        }
        if (live.isEmpty()) {
            return live;
        }
        Set<String> allowed = quorum.electorate(live, members.healthyMembers(), members.goneMembers(), witness.state(),
                System.nanoTime());
        witness.situation(quorum.degraded(), quorum.evenSplit());
        return allowed;
    }

    /**
     * A host outside the cluster claims an IP we announce: a Warning Event on its Service, at
     * most once per IP every {@link #CLAIM_EVENT_INTERVAL} (the announcer counts every frame
     * and logs each re-assertion).
     */
    private void foreignClaim(ForeignClaim c) {
        loop.foreignClaimSeen(c);
        long now = System.nanoTime();
        Long last = claimEvents.get(c.ip());
        if (last != null && now - last < CLAIM_EVENT_INTERVAL.toNanos()) {
            return;
        }
        claimEvents.put(c.ip(), now);
        Optional<ServiceAnnouncement> owner = loop.announcing(c.ip());
        log.warn("IP {}{}: claimed by {} ({} on {}), a host outside the cluster; node {} keeps announcing it",
                c.ip(), owner.map(a -> " of service " + a.service()).orElse(""), c.mac(), c.how(), c.interfaceName(),
                options.node());
        owner.ifPresent(a -> status.foreignClaim(a, c));
    }

    /** Empty when ready; otherwise what is missing, as /readyz reports it. */
    public String notReadyBecause() {
        if (stopped.get()) {
            return "shutting down";
        }
        if (informers == null || !informers.synced()) {
            return "informers not synced";
        }
        if (!membershipStarted) {
            return membershipFailure.isEmpty() ? "membership not started" : "membership cannot start: " + membershipFailure;
        }
        if (guard.rejecting()) {
            return guard.reason();
        }
        if (quorum.withholding()) {
            return quorum.decision().map(d -> d.reason()).orElse("");
        }
        return "";
    }

    public boolean ready() {
        return notReadyBecause().isEmpty();
    }

    public int metricsPort() {
        return metrics.port();
    }

    /** The ownership of every Service IP computed by the last recompute. */
    public OwnershipPlan plan() {
        return loop.lastPlan();
    }

    /** How many times ownership was recomputed since start. */
    public long recomputes() {
        return loop.recomputes();
    }

    /** Current membership seeds (fixed or discovered from Nodes). */
    public List<InetSocketAddress> seeds() {
        return seeds.get();
    }

    /**
     * Graceful handover, then stop. Leaving the membership first makes the peers elect our
     * successors at once; we keep answering until each successor's ServiceL2Status lists the
     * IP (bounded by the handover timeout), so a planned move loses no traffic. Idempotent.
     */
    public void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        OwnershipLoop.Frozen frozen = loop.freeze();
        // The view now, not the one of the last recompute: a peer may have left since.
        Set<String> remaining = new HashSet<>(members.liveMembers());
        synchronized (this) {
            // after this, a membership that was still to be joined never is (joinMembership checks stopped)
            members.leave();
        }
        log.info("speaker on node {} left the membership, handing over {} IPs", options.node(), frozen.announced().size());
        remaining.remove(options.node());
        OwnershipPlan next = Election.plan(informers.snapshot(), remaining);
        awaitSuccessors(frozen.services(), next);
        loop.withdrawAll();
        witness.deleteOwn();
        witness.close();
        loop.close();
        handoff.stop();
        informers.close();
        status.deleteAllAndStop(Duration.ofSeconds(2));
        loop.close();
        metrics.close();
        announcer.close();
        log.info("speaker on node {} stopped after {} ms", options.node(), (System.nanoTime() - started) / 1_000_000);
    }

    private void awaitSuccessors(Map<ServiceKey, ServiceAnnouncement> owned, OwnershipPlan next) {
        Map<IpAddress, String> expect = new LinkedHashMap<>();
        Map<IpAddress, ServiceKey> serviceOf = new LinkedHashMap<>();
        for (ServiceAnnouncement a : owned.values()) {
            for (IpAddress ip : a.ips()) {
                if (next.decision(a.service(), ip) instanceof OwnershipPlan.Owner o) {
                    expect.put(ip, o.node());
                    serviceOf.put(ip, a.service());
                } else {
                    log.info("service {} {}: no successor ({}), withdrawing without handover", a.service(), ip,
                            ((OwnershipPlan.Unowned) next.decision(a.service(), ip)).reason());
                }
            }
        }
        if (expect.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + options.handoverTimeout().toNanos();
        while (!expect.isEmpty() && System.nanoTime() < deadline) {
            try {
                Map<String, StatusObjects.Stored> byName = new HashMap<>();
                for (StatusObjects.Stored s : StatusObjects.items(api.getBody(StatusObjects.collection(options.namespace())))) {
                    byName.put(s.name(), s);
                }
                expect.entrySet().removeIf(e -> announcedBy(byName, serviceOf.get(e.getKey()), e.getKey(), e.getValue()));
            } catch (IOException | JsonReader.JsonException e) {
                long wait = Math.min(HANDOVER_FALLBACK_DELAY.toNanos(), Math.max(0, deadline - System.nanoTime()));
                log.warn("handover: API unavailable ({}), waiting {} ms for successors instead", e.getMessage(), wait / 1_000_000);
                sleepNanos(wait);
                return;
            }
            if (!expect.isEmpty()) {
                sleepNanos(HANDOVER_POLL.toNanos());
            }
        }
        if (expect.isEmpty()) {
            log.info("handover: every successor announces, withdrawing");
        } else {
            log.warn("handover: no confirmation within {} ms for {}, withdrawing anyway",
                    options.handoverTimeout().toMillis(), expect);
        }
    }

    private static boolean announcedBy(Map<String, StatusObjects.Stored> statuses, ServiceKey service, IpAddress ip,
            String successor) {
        StatusObjects.Stored s = statuses.get(StatusName.of(service, successor));
        boolean confirmed = s != null && s.ips().contains(ip.toString());
        if (confirmed) {
            log.info("service {} {}: successor {} announces", service, ip, successor);
        }
        return confirmed;
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }
}
