package dev.ferrite.speaker.ownership;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.coalesce.CoalescingScheduler;
import dev.ferrite.speaker.election.Election;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ProbeResult;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects input changes to the announcer. Any change (membership view, Services, endpoints,
 * Nodes, config) only marks the state dirty; one thread recomputes at most once per coalesce
 * interval from a fresh snapshot, announces what this node gained and withdraws what it lost.
 * Status reporting gets the result afterwards and must never block this thread.
 *
 * <p>An IP new to the cluster is probed before its first announcement and not announced when
 * a host outside the cluster answers ({@link ProbeGate} decides which and keeps those found in
 * use); both those and foreign claims on announced IPs are reported with the announcements.
 */
public final class OwnershipLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OwnershipLoop.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final String node;
    private final Supplier<ClusterSnapshot> snapshots;
    private final Supplier<Set<String>> liveMembers;
    private final Announcer announcer;
    private final Consumer<Map<ServiceKey, ServiceAnnouncement>> onAnnouncementsChanged;
    private final Duration coalesce;
    private final CoalescingScheduler scheduler;
    private final AtomicLong recomputes = new AtomicLong();
    private volatile boolean frozen;
    private volatile RecomputeListener afterRecompute = (snapshot, live, plan, withoutSelf) -> { };
    private volatile Runnable afterAnnouncing = () -> { };

    // Owned by the loop thread.
    private final Map<IpAddress, Set<String>> advertised = new HashMap<>();
    /** The refresh periods last given to the announcer, so an unchanged map is not sent again. */
    private SortedMap<IpAddress, Duration> refreshPeriods = new TreeMap<>();
    private SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> ownedServices = new TreeMap<>();
    // Null until the first recompute, so the status side hears about the first result even when
    // this node owns nothing (it then removes objects left by an earlier run).
    private Map<ServiceKey, ServiceAnnouncement> lastReported;
    private volatile OwnershipPlan lastPlan = new OwnershipPlan(new TreeMap<>());
    private volatile int announcedCount;
    // The live set of the previous recompute (loop thread); null before the first one.
    private Set<String> lastLive;
    // When each member of the live set last (re)appeared in it (loop thread).
    private final Map<String, Long> joinedAt = new HashMap<>();
    /**
     * An IP this node announces is handed to a member that has just (re)joined only after the
     * member has been in the view this long. A member coming back from the minority side of a
     * partition may not see everybody yet, and until it does it announces nothing: handing it
     * the IP at once left IPs unanswered for seconds. Both answer for this window instead,
     * like a drain handover.
     */
    static final Duration HANDOVER_TO_JOINED = Duration.ofMillis(1500);
    /** IPs kept for a joined member whose own announcement has been seen on the wire: released at once. */
    private final Map<IpAddress, Long> memberClaimAt = new java.util.concurrent.ConcurrentHashMap<>();
    /** A member's claim seen this recently counts as "the new owner has started". */
    static final Duration MEMBER_CLAIM_FRESH = Duration.ofSeconds(2);
    private volatile boolean keepingForJoined;
    private final ProbeGate gate;
    private final ConcurrentLinkedQueue<ProbeResult> probeResults = new ConcurrentLinkedQueue<>();
    /** Foreign claims on announced IPs (capture threads write, the loop reads), by IP, and when last seen. */
    private final Map<IpAddress, AddressConflict> foreignClaims = new ConcurrentHashMap<>();
    private final Map<IpAddress, Long> foreignClaimSeen = new ConcurrentHashMap<>();
    /**
     * A foreign claim stays reported this long after the last frame of it. A host that keeps
     * using the address answers the periodic probe of announced IPs (every 1 to 5 s,
     * {@code arp.ConflictProbes}), so the report stays while the conflict lasts and goes soon
     * after it ends.
     */
    static final Duration FOREIGN_CLAIM_FRESH = Duration.ofSeconds(10);
    private volatile boolean conflictsOpen;
    private volatile Set<IpAddress> inUseIps = Set.of();
    private volatile BooleanSupplier snapshotsComplete = () -> true;
    private volatile BooleanSupplier probesTrusted = () -> true;
    private final List<FollowUp> followUps = new CopyOnWriteArrayList<>();
    /** Loop thread: whether the probe history of this speaker's start was taken. */
    private boolean seeded;
    private boolean untrustedLogged;

    public OwnershipLoop(String node, Supplier<ClusterSnapshot> snapshots, Supplier<Set<String>> liveMembers,
            Announcer announcer, Consumer<Map<ServiceKey, ServiceAnnouncement>> onAnnouncementsChanged,
            Duration coalesce) {
        this.node = node;
        this.snapshots = snapshots;
        this.liveMembers = liveMembers;
        this.announcer = announcer;
        this.onAnnouncementsChanged = onAnnouncementsChanged;
        this.coalesce = coalesce;
        this.scheduler = new CoalescingScheduler("ferrite-ownership", this::recompute);
        this.gate = new ProbeGate(node);
        // in-use IPs are probed again, foreign claims expire: both without any other event
        recheckEvery(Duration.ofSeconds(1), () -> conflictsOpen);
    }

    /** Told, on the loop thread, the inputs and outcome of every recompute before it is applied. */
    @FunctionalInterface
    public interface RecomputeListener {
        /**
         * @param withoutSelf the election of the same inputs without this node: who would own
         *                    each IP were this node away. Run on the first ask, at most once per
         *                    recompute, and shared with the probe history (both ask it only in a
         *                    speaker's first recompute with other members, where it is a third of
         *                    the recompute's elections).
         */
        void recomputed(ClusterSnapshot snapshot, Set<String> live, OwnershipPlan plan, Supplier<OwnershipPlan> withoutSelf);
    }

    /** Sets the one listener told of each recompute before it is applied (flow handoff); set it before the first recompute. */
    public void afterRecompute(RecomputeListener listener) {
        this.afterRecompute = listener;
    }

    /**
     * Sets the one task run, on the loop thread, after each recompute's announcements and
     * withdrawals: work the recompute made due that must not delay the first gratuitous ARP
     * (flow handoff re-routing IPs moved between other nodes).
     */
    public void afterAnnouncing(Runnable task) {
        this.afterAnnouncing = task;
    }

    /**
     * Tells when snapshots hold everything the API has (the informers synced): the probe
     * history of a speaker that just started is taken from the first complete one.
     */
    public void snapshotsCompleteWhen(BooleanSupplier complete) {
        this.snapshotsComplete = complete;
    }

    /**
     * Tells whether a probe's answer can be judged: the cluster members' MACs are known (the
     * witness has read their Leases). Until then an IP is announced without a probe, since a
     * member's answer would look foreign.
     */
    public void probeWhen(BooleanSupplier trusted) {
        this.probesTrusted = trusted;
    }

    /**
     * Requests a recompute every {@code period} while {@code when} holds, asking it every
     * period: for a state that can turn true between recomputes (a timer elsewhere, another
     * thread).
     */
    public void recheckEvery(Duration period, BooleanSupplier when) {
        scheduler.every(period, () -> {
            if (when.getAsBoolean()) {
                requestRecompute();
            }
        });
    }

    /**
     * Requests a recompute {@code period} after each recompute after which {@code when} holds:
     * for a state only a recompute can enter (the quorum rule's holds, IPs kept for a joined
     * member), so that a speaker at rest is not woken to ask.
     */
    public void recheckAfterRecomputeWhile(Duration period, BooleanSupplier when) {
        followUps.add(new FollowUp(period, when, new AtomicBoolean()));
    }

    private record FollowUp(Duration period, BooleanSupplier when, AtomicBoolean armed) {
    }

    /** Loop thread, after every recompute: arms each follow-up whose state holds, once. */
    private void armFollowUps() {
        for (FollowUp f : followUps) {
            if (f.when().getAsBoolean() && f.armed().compareAndSet(false, true)) {
                scheduler.submitAfter(f.period(), () -> {
                    f.armed().set(false);
                    requestRecompute();
                });
            }
        }
    }

    /** Marks the state dirty; a recompute follows within the coalesce interval. */
    public void requestRecompute() {
        schedule(coalesce);
    }

    private void schedule(Duration delay) {
        if (!frozen) {
            scheduler.request(delay);
        }
    }

    private void recompute() {
        if (frozen) {
            return;
        }
        try {
            ClusterSnapshot snapshot = snapshots.get();
            Set<String> live = Set.copyOf(liveMembers.get());
            OwnershipPlan plan = Election.plan(snapshot, live);
            lastPlan = plan;
            recomputes.incrementAndGet();
            Set<String> joined = new TreeSet<>(live);
            if (lastLive != null) {
                joined.removeAll(lastLive);
            } else {
                joined.clear();
            }
            lastLive = live;
            long now = System.nanoTime();
            joinedAt.keySet().retainAll(live);
            for (String m : live) {
                joinedAt.putIfAbsent(m, joined.contains(m) ? now : now - HANDOVER_TO_JOINED.toNanos());
            }
            // Flow handoff first: a node taking an IP must route the flows it does not know to
            // their previous owner before its first gratuitous ARP draws them here, or kube-proxy
            // takes them as new and the backend resets them (a returning node has no rules yet).
            Supplier<OwnershipPlan> withoutSelf = withoutSelf(snapshot, live);
            afterRecompute.recomputed(snapshot, live, plan, withoutSelf);
            apply(snapshot, live, plan, joined, withoutSelf);
            afterAnnouncing.run();
        } catch (RuntimeException e) {
            log.error("ownership recompute failed on node {}; retrying in {} ms", node, RETRY_AFTER_FAILURE.toMillis(), e);
            schedule(RETRY_AFTER_FAILURE);
        } finally {
            armFollowUps();
        }
    }

    /** The election without this node, run on the first {@code get()} only. */
    private Supplier<OwnershipPlan> withoutSelf(ClusterSnapshot snapshot, Set<String> live) {
        OwnershipPlan[] once = new OwnershipPlan[1];
        return () -> {
            if (once[0] == null) {
                Set<String> others = new TreeSet<>(live);
                others.remove(node);
                once[0] = Election.plan(snapshot, others);
            }
            return once[0];
        };
    }

    private void apply(ClusterSnapshot snapshot, Set<String> live, OwnershipPlan plan, Set<String> joined,
            Supplier<OwnershipPlan> withoutSelf) {
        SortedMap<IpAddress, Set<String>> wanted = plan.ownedBy(node);
        SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> services = plan.servicesOwnedBy(node);
        long now = System.nanoTime();
        takeProbeResults(now);
        seedProbeHistory(snapshot, live, withoutSelf, now);
        // IPs this node owns and already announces; not those it only keeps until a joined
        // member takes them over (re-asserting those would pull clients back from the new owner)
        Map<IpAddress, Set<String>> before = announcer.announcements();
        Set<IpAddress> kept = new TreeSet<>(before.keySet());
        kept.retainAll(wanted.keySet());
        kept.removeAll(gate.inUse());
        keepForJoined(plan, before, wanted, services);
        // never announced while in use (an answer read late turns an announced IP into one)
        wanted.keySet().removeAll(gate.inUse());
        boolean failed = false;

        // Announce first, withdraw second: gaining an IP is what restores traffic. All gained
        // IPs go to the announcer in one call, so their first frames leave together.
        Map<IpAddress, Set<String>> changed = new LinkedHashMap<>();
        for (Map.Entry<IpAddress, Set<String>> e : wanted.entrySet()) {
            if (!e.getValue().equals(advertised.get(e.getKey())) || !before.containsKey(e.getKey())) {
                changed.put(e.getKey(), e.getValue());
            }
        }
        // An IP already announced here only changes interfaces: never probed.
        Map<IpAddress, Set<String>> fresh = new LinkedHashMap<>(changed);
        fresh.keySet().removeAll(before.keySet());
        ProbeGate.Split split = gate.split(fresh, ProbeGate.servicesOf(services), now);
        boolean trusted = probesTrusted.getAsBoolean();
        Map<IpAddress, Set<String>> gained = new LinkedHashMap<>(changed);
        gained.keySet().removeAll(split.held());
        if (trusted) {
            gained.keySet().removeAll(split.probe().keySet());
            untrustedLogged = false;
        } else if (!split.probe().isEmpty()) {
            split.probe().keySet().forEach(ip -> gate.result(new ProbeResult.Free(ip), Instant.now(), now));
            if (!untrustedLogged) {
                untrustedLogged = true;
                log.warn("node {}: the members' MACs are not known yet (witness Leases unread): announcing {} without a probe",
                        node, split.probe().keySet());
            }
        }
        if (!gained.isEmpty()) {
            try {
                announcer.announce(gained);
                advertised.putAll(gained);
            } catch (RuntimeException ex) {
                failed = true;
                log.error("IPs {}: announcing from node {} failed: {}", gained.keySet(), node, ex.getMessage());
            }
        }
        // A member that joins (a healed partition, a link back up) may have claimed our IPs while
        // it could not see us, and it withdraws them without a word: clients would keep its MAC.
        if (!joined.isEmpty() && !kept.isEmpty()) {
            log.info("members {} joined; node {} re-announces the {} IPs it kept", joined, node, kept.size());
            kept.forEach(announcer::reassert);
        }
        // every IP gained above is wanted, so those announced before are all that may go
        for (IpAddress ip : before.keySet()) {
            if (!wanted.containsKey(ip)) {
                announcer.withdraw(ip);
                advertised.remove(ip);
            }
        }
        Map<IpAddress, Set<String>> announced = announcer.announcements();
        Map<IpAddress, Set<String>> probe = new LinkedHashMap<>();
        if (trusted) {
            probe.putAll(split.probe());
            probe.putAll(gate.recheckDue(now));
        }
        if (!probe.isEmpty()) {
            probe(probe);
        }
        gate.remember(plan, announced.keySet(), now);
        Set<ServiceKey> existing = new HashSet<>();
        snapshot.services().forEach(v -> existing.add(v.key()));
        gate.retainServices(existing);
        foreignClaimSeen.entrySet().removeIf(e -> now - e.getValue() >= FOREIGN_CLAIM_FRESH.toNanos()
                || !announced.containsKey(e.getKey()));
        foreignClaims.keySet().retainAll(foreignClaimSeen.keySet());
        inUseIps = gate.inUse();
        conflictsOpen = !inUseIps.isEmpty() || !foreignClaims.isEmpty();
        SortedMap<IpAddress, Duration> refresh = plan.refreshBy(node);
        refresh.keySet().retainAll(announced.keySet());
        if (!refresh.equals(refreshPeriods)) {
            refreshPeriods = refresh;
            announcer.refreshPeriods(refresh);
        }
        announcedCount = announced.size();
        logChanges(plan, announced, services);
        ownedServices = services;

        Map<ServiceKey, ServiceAnnouncement> report = report(snapshot, announced, services);
        if (!report.equals(lastReported)) {
            lastReported = report;
            onAnnouncementsChanged.accept(report);
        }
        if (failed) {
            schedule(RETRY_AFTER_FAILURE);
        }
    }

    private void probe(Map<IpAddress, Set<String>> ips) {
        try {
            announcer.probe(ips, r -> {
                probeResults.add(r);
                requestRecompute();
            });
        } catch (RuntimeException ex) {
            log.error("IPs {}: probing from node {} failed, announcing without a probe: {}", ips.keySet(), node,
                    ex.getMessage());
            ips.keySet().forEach(ip -> probeResults.add(new ProbeResult.Free(ip)));
            requestRecompute();
        }
    }

    private void takeProbeResults(long now) {
        for (ProbeResult r = probeResults.poll(); r != null; r = probeResults.poll()) {
            if (gate.result(r, Instant.now(), now)) {
                if (r instanceof ProbeResult.InUse u) {
                    log.warn("IP {}: in use by {} ({} on {}), a host outside the cluster; node {} does not announce it",
                            r.ip(), u.mac(), u.how(), u.interfaceName(), node);
                } else {
                    log.info("IP {}: no longer in use outside the cluster", r.ip());
                }
            }
        }
    }

    /**
     * Once, at the first plan in which this node sees other live members, from a complete
     * snapshot that has pools (a speaker that just started sees only itself at first, and the
     * quorum rule lets it announce nothing then; before its informers synced it sees no
     * Services; the pools reach the config a moment after the sync): what they own without this
     * node, they announce now.
     */
    private void seedProbeHistory(ClusterSnapshot snapshot, Set<String> live, Supplier<OwnershipPlan> withoutSelf, long now) {
        Set<String> others = new TreeSet<>(live);
        others.remove(node);
        if (seeded || others.isEmpty() || !snapshotsComplete.getAsBoolean() || snapshot.config().pools().isEmpty()) {
            return;
        }
        seeded = true;
        Set<IpAddress> theirs = new TreeSet<>();
        for (SortedMap<IpAddress, OwnershipPlan.Decision> ips : withoutSelf.get().byService().values()) {
            ips.forEach((ip, d) -> {
                if (d instanceof OwnershipPlan.Owner) {
                    theirs.add(ip);
                }
            });
        }
        gate.seed(theirs, now);
    }

    /** A host outside the cluster claims {@code c.ip()}, which this node announces (any thread). */
    public void foreignClaimSeen(ForeignClaim c) {
        foreignClaimSeen.put(c.ip(), System.nanoTime());
        AddressConflict before = foreignClaims.putIfAbsent(c.ip(), new AddressConflict(c.ip(),
                AddressConflict.Kind.FOREIGN_CLAIM, c.mac(), c.how(), c.interfaceName(), Instant.now()));
        if (before == null) {
            conflictsOpen = true;
            requestRecompute();
        }
    }

    /** The IPs found in use by a host outside the cluster, which this node does not announce. */
    public Set<IpAddress> addressesInUse() {
        return inUseIps;
    }

    /**
     * A member announced {@code ip} on the wire (its gratuitous ARP or NA): if we keep it only
     * for a member that just joined, the new owner has started, so we stop now.
     */
    public void memberClaimed(IpAddress ip) {
        memberClaimAt.put(ip, System.nanoTime());
        requestRecompute();
    }

    /**
     * Keeps announcing IPs whose new owner joined less than {@link #HANDOVER_TO_JOINED} ago,
     * until that owner's own announcement is seen ({@link #memberClaimed}).
     */
    private void keepForJoined(OwnershipPlan plan, Map<IpAddress, Set<String>> announced,
            SortedMap<IpAddress, Set<String>> wanted,
            SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> services) {
        long now = System.nanoTime();
        long soonest = Long.MAX_VALUE;
        for (Map.Entry<ServiceKey, SortedMap<IpAddress, Set<String>>> s : ownedServices.entrySet()) {
            for (IpAddress ip : s.getValue().keySet()) {
                if (wanted.containsKey(ip) || !announced.containsKey(ip)
                        || !(plan.decision(s.getKey(), ip) instanceof OwnershipPlan.Owner o)) {
                    continue;
                }
                Long since = joinedAt.get(o.node());
                Long claimed = memberClaimAt.get(ip);
                boolean started = claimed != null && now - claimed < MEMBER_CLAIM_FRESH.toNanos();
                long left = since == null || started ? 0 : since + HANDOVER_TO_JOINED.toNanos() - now;
                if (left > 0) {
                    wanted.put(ip, advertised.getOrDefault(ip, Set.of()));
                    services.computeIfAbsent(s.getKey(), k -> new TreeMap<>()).put(ip, advertised.getOrDefault(ip, Set.of()));
                    soonest = Math.min(soonest, left);
                }
            }
        }
        memberClaimAt.values().removeIf(t -> now - t >= MEMBER_CLAIM_FRESH.toNanos());
        keepingForJoined = soonest != Long.MAX_VALUE;
    }

    private void logChanges(OwnershipPlan plan, Map<IpAddress, Set<String>> announced,
            SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> now) {
        for (Map.Entry<ServiceKey, SortedMap<IpAddress, Set<String>>> s : now.entrySet()) {
            Map<IpAddress, Set<String>> before = ownedServices.getOrDefault(s.getKey(), new TreeMap<>());
            for (IpAddress ip : s.getValue().keySet()) {
                if (!before.containsKey(ip) && announced.containsKey(ip)) {
                    log.info("service {} {}: announced by this node ({}) on {}", s.getKey(), ip, node,
                            new TreeSet<>(announced.get(ip)));
                }
            }
        }
        for (Map.Entry<ServiceKey, SortedMap<IpAddress, Set<String>>> s : ownedServices.entrySet()) {
            Map<IpAddress, Set<String>> after = now.getOrDefault(s.getKey(), new TreeMap<>());
            for (IpAddress ip : s.getValue().keySet()) {
                if (!after.containsKey(ip)) {
                    OwnershipPlan.Decision d = plan.decision(s.getKey(), ip);
                    String why = d instanceof OwnershipPlan.Owner o
                            ? "owner is now " + o.node()
                            : "no owner: " + ((OwnershipPlan.Unowned) d).reason();
                    log.info("service {} {}: withdrawn by this node ({}), {}", s.getKey(), ip, node, why);
                }
            }
        }
    }

    private Map<ServiceKey, ServiceAnnouncement> report(ClusterSnapshot snapshot, Map<IpAddress, Set<String>> announced,
            SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> services) {
        Map<ServiceKey, String> uids = new HashMap<>();
        for (ServiceView v : snapshot.services()) {
            uids.put(v.key(), v.uid());
        }
        Map<ServiceKey, ServiceAnnouncement> out = new TreeMap<>();
        Map<ServiceKey, List<AddressConflict>> conflicts = gate.conflicts();
        for (Map.Entry<ServiceKey, SortedMap<IpAddress, Set<String>>> s : services.entrySet()) {
            List<IpAddress> ips = new ArrayList<>();
            Set<String> interfaces = new LinkedHashSet<>();
            for (IpAddress ip : s.getValue().keySet()) {
                Set<String> on = announced.get(ip);
                if (on != null) {
                    ips.add(ip);
                    interfaces.addAll(on);
                }
            }
            List<AddressConflict> found = new ArrayList<>(conflicts.getOrDefault(s.getKey(), List.of()));
            for (IpAddress ip : ips) {
                AddressConflict claim = foreignClaims.get(ip);
                if (claim != null) {
                    found.add(claim);
                }
            }
            if (!ips.isEmpty() || !found.isEmpty()) {
                out.put(s.getKey(), new ServiceAnnouncement(s.getKey(), uids.get(s.getKey()), ips,
                        new TreeSet<>(interfaces), List.of(), found));
            }
        }
        // IPs found in use for a Service this node does not own (any more): still reported, on
        // this node's object of that Service, until a probe finds them free.
        conflicts.forEach((k, found) -> {
            if (!out.containsKey(k) && uids.containsKey(k)) {
                out.put(k, new ServiceAnnouncement(k, uids.get(k), List.of(), new TreeSet<>(), List.of(), found));
            }
        });
        return out;
    }

    /**
     * Stops recomputing (for a graceful handover), tells the announcer that its IPs are being
     * handed over ({@link Announcer#handOver()}) and returns what is announced at this moment.
     * The announcements stay up until {@link #withdrawAll()}.
     */
    public Frozen freeze() {
        frozen = true;
        try {
            return scheduler.submit(() -> {
                announcer.handOver();
                return new Frozen(Map.copyOf(announcer.announcements()), lastReported == null ? Map.of() : lastReported);
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ownership loop of node " + node + " did not stop", e);
        }
    }

    /** State at freeze time, what a handover works from. */
    public record Frozen(Map<IpAddress, Set<String>> announced, Map<ServiceKey, ServiceAnnouncement> services) {
    }

    /** Withdraws every announced IP (runs on the loop thread so it never races a recompute). */
    public void withdrawAll() {
        try {
            scheduler.submit(() -> {
                for (IpAddress ip : announcer.announcements().keySet()) {
                    announcer.withdraw(ip);
                    log.info("IP {}: withdrawn by node {} on shutdown", ip, node);
                }
                advertised.clear();
                announcedCount = 0;
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ownership loop of node " + node + " did not withdraw", e);
        }
    }

    /** The Service whose announcement holds {@code ip}, as last reported. */
    public Optional<ServiceAnnouncement> announcing(IpAddress ip) {
        Map<ServiceKey, ServiceAnnouncement> r = lastReported;
        if (r == null) {
            return Optional.empty();
        }
        return r.values().stream().filter(a -> a.ips().contains(ip)).findFirst();
    }

    /** Whether an IP is kept for a member that just joined (the glue re-checks often then). */
    public boolean keepingForJoined() {
        return keepingForJoined;
    }

    public int announcedCount() {
        return announcedCount;
    }

    public long recomputes() {
        return recomputes.get();
    }

    public OwnershipPlan lastPlan() {
        return lastPlan;
    }

    @Override
    public void close() {
        frozen = true;
        scheduler.close();
    }
}
