package dev.ferrite.speaker.membership;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The membership state machine of one speaker, with no sockets and no clock: every method
 * takes the current time in milliseconds, and returns an {@link Outcome} telling the glue
 * what became news (to gossip), which verdicts to pass to their subjects (telling a member it is suspected or dead, so a live
 * member can refute), and whether the live view changed.
 *
 * <p>Rules (SWIM with incarnations): a claim about a member replaces what we hold when its
 * incarnation is higher, or equal with a later status (ALIVE &lt; SUSPECT &lt; DEAD = LEFT).
 * Only the member itself raises its incarnation, which it does to refute a suspicion or
 * death claim about itself. A watched predecessor that has not been heard from for the
 * suspicion timeout (twice that if it has not heartbeated us yet) becomes SUSPECT; a suspect
 * not refuted within the confirm timeout becomes DEAD at its accuser, which gossips the
 * verdict (other members wait a suspicion timeout longer before concluding on their own).
 * A closed port on a heartbeat target (the crash fast path) makes it DEAD at once. Suspects
 * stay in the view until confirmed dead, so a false suspicion that is refuted in time never
 * changes anybody's view.
 *
 * <p>Full-state merges (anti-entropy, partition healing) accept ALIVE claims but do not
 * take over another group's death claims about members we still see: the claim is passed
 * to its subject, which refutes with a higher incarnation, and meanwhile the member is only
 * suspected here, so a healing partition does not make either side drop members it is
 * talking to, while a death we missed by gossip is still applied after the confirm wait.
 */
final class MemberTable {

    /** What a change produced; the glue gossips {@code news}, sends {@code verdicts} to their subjects. */
    record Outcome(List<Member> news, List<Member> verdicts, boolean viewChanged) {
        static final Outcome NONE = new Outcome(List.of(), List.of(), false);

        boolean isEmpty() {
            return news.isEmpty() && verdicts.isEmpty() && !viewChanged;
        }

        Outcome plus(Outcome other) {
            if (other.isEmpty()) {
                return this;
            }
            if (isEmpty()) {
                return other;
            }
            List<Member> n = new ArrayList<>(news);
            n.addAll(other.news);
            List<Member> v = new ArrayList<>(verdicts);
            v.addAll(other.verdicts);
            return new Outcome(n, v, viewChanged || other.viewChanged);
        }
    }

    /** Timing and fan-out of the protocol; see {@link MembershipConfig} for defaults. */
    record Timing(long suspicionTimeoutMillis, long confirmTimeoutMillis, long tombstoneMillis,
                                int monitors, int retransmitMultiplier) {
    }

    private final String selfName;
    private final Timing timing;
    private final RandomGenerator random;
    private final Map<String, Member> members = new HashMap<>();
    private final Map<String, Long> lastHeard = new HashMap<>();
    private final Map<String, Long> lastHeartbeat = new HashMap<>();
    private final Map<String, Long> watchedSince = new HashMap<>();
    private final Map<String, Long> suspectSince = new HashMap<>();
    /** Suspects we raised ourselves: we confirm them; others' suspects wait for a verdict. */
    private final Set<String> accused = new HashSet<>();
    private final Map<String, Long> tombstoneSince = new HashMap<>();
    /** News still to be piggybacked, with the number of transmissions left. */
    private final Map<String, Integer> rumors = new HashMap<>();
    /** A tick this much later than planned means we were stalled ourselves. */
    static final long STALL_MILLIS = 100;
    private long lastTick = Long.MIN_VALUE;
    private long firstTick = Long.MIN_VALUE;
    /** Cached digest of the live view; every message carries it, so it is not recomputed each time. */
    private Long digest;
    private long stalls;
    /**
     * This member's ring successors and predecessors, worked out when the ring changes (a
     * member joins or leaves the view) rather than at every heartbeat and tick.
     */
    private List<String> successors;
    private List<String> predecessors;
    private long suspicionsRaised;
    private long refutations;
    private long deathsDeclared;

    MemberTable(Member self, Timing timing, RandomGenerator random) {
        this.selfName = self.name();
        this.timing = timing;
        this.random = random;
        members.put(selfName, self.with(MemberStatus.ALIVE));
        setRing(Ring.of(List.of(selfName)));
    }

    private void setRing(Ring r) {
        successors = r.successors(selfName, timing.monitors());
        predecessors = r.predecessors(selfName, timing.monitors());
    }

    Member self() {
        return members.get(selfName);
    }

    /** Node names in the live view, self included while we have not left. */
    Set<String> liveMembers() {
        Set<String> live = new TreeSet<>();
        for (Member m : members.values()) {
            if (m.status().inView()) {
                live.add(m.name());
            }
        }
        return live;
    }

    /** Members in the view that nobody suspects, self included while we have not left. */
    Set<String> healthyMembers() {
        Set<String> healthy = new TreeSet<>();
        for (Member m : members.values()) {
            if (m.status() == MemberStatus.ALIVE) {
                healthy.add(m.name());
            }
        }
        return healthy;
    }

    /** Members whose last word was a graceful leave (tombstones not yet forgotten), self excluded. */
    Set<String> departed() {
        Set<String> left = new TreeSet<>();
        for (Member m : members.values()) {
            if (m.status() == MemberStatus.LEFT && !m.name().equals(selfName)) {
                left.add(m.name());
            }
        }
        return left;
    }

    /** Whether {@code name} is held as DEAD (a tombstone not yet forgotten). */
    boolean isDead(String name) {
        Member m = members.get(name);
        return m != null && m.status() == MemberStatus.DEAD;
    }

    Member get(String name) {
        return members.get(name);
    }

    /** Every claim we hold, tombstones included: the full state sent in an anti-entropy exchange. */
    List<Member> claims() {
        List<Member> all = new ArrayList<>(members.values());
        all.sort(Comparator.comparing(Member::name));
        return all;
    }

    /** A hash of the live view with incarnations; equal digests mean there is nothing to exchange. */
    long digest() {
        if (digest != null) {
            return digest;
        }
        long h = 1125899906842597L;
        for (Member m : claims()) {
            if (m.status().inView()) {
                h = 31 * h + m.name().hashCode();
                h = 31 * h + Long.hashCode(m.incarnation());
                h = 31 * h + m.status().ordinal();
            }
        }
        digest = h;
        return h;
    }

    /** Members this one heartbeats: its ring successors. */
    List<Member> heartbeatTargets() {
        List<Member> out = new ArrayList<>(successors.size());
        for (String name : successors) {
            out.add(members.get(name));
        }
        return out;
    }

    /** Members this one watches for silence: its ring predecessors. */
    List<String> watched() {
        return predecessors;
    }

    /** Up to {@code count} random live members other than self and those excluded. */
    List<Member> randomLive(int count, Collection<String> exclude) {
        List<Member> pool = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.status().inView() && !m.name().equals(selfName) && !exclude.contains(m.name())) {
                pool.add(m);
            }
        }
        pool.sort(Comparator.comparing(Member::name));
        List<Member> out = new ArrayList<>();
        while (out.size() < count && !pool.isEmpty()) {
            out.add(pool.remove(random.nextInt(pool.size())));
        }
        return out;
    }

    /**
     * A direct message arrived from {@code sender} (its claim about itself); {@code heartbeat}
     * when it was a heartbeat, i.e. the sender counts us among its ring successors.
     */
    Outcome heardFrom(Member sender, boolean heartbeat, long now) {
        if (sender.name().equals(selfName)) {
            return Outcome.NONE;
        }
        lastHeard.put(sender.name(), now);
        if (heartbeat) {
            lastHeartbeat.put(sender.name(), now);
        }
        Member held = members.get(sender.name());
        if (held != null && !held.status().inView() && held.status() != MemberStatus.LEFT
                && held.incarnation() >= sender.incarnation()) {
            // It is talking, so it is not dead: tell it what we believe so it refutes.
            return new Outcome(List.of(), List.of(held), false);
        }
        if (held != null && held.status() == MemberStatus.SUSPECT && held.incarnation() >= sender.incarnation()) {
            return new Outcome(List.of(), List.of(held), false);
        }
        return apply(sender.with(MemberStatus.ALIVE), now);
    }

    /** A claim arrived by gossip; applied by the precedence rules. */
    Outcome apply(Member claim, long now) {
        if (claim.name().equals(selfName)) {
            return aboutSelf(claim);
        }
        Member held = members.get(claim.name());
        if (held != null && !supersedes(claim, held)) {
            return Outcome.NONE;
        }
        if (held == null && !claim.status().inView()) {
            // A death we never saw the life of: remember it so a stale "alive" cannot resurrect it.
            put(claim, now);
            return Outcome.NONE;
        }
        boolean viewChanged = put(claim, now);
        return news(claim, viewChanged);
    }

    /** Claims from another member's full state (anti-entropy or a partition healing). */
    Outcome merge(Collection<Member> state, long now) {
        Outcome all = Outcome.NONE;
        for (Member claim : state) {
            Member held = members.get(claim.name());
            if (!claim.name().equals(selfName) && claim.status() != MemberStatus.ALIVE
                    && held != null && held.status().inView() && supersedes(claim, held)) {
                // Another group's verdict about a member we still see: let the member answer it, and
                // suspect it quietly (no gossip) so that if it cannot answer, because it really is
                // dead and we missed the news, we still drop it after the confirm wait.
                if (held.status() == MemberStatus.ALIVE) {
                    put(held.with(MemberStatus.SUSPECT), now);
                }
                all = all.plus(new Outcome(List.of(), List.of(claim), false));
            } else {
                all = all.plus(apply(claim, now));
            }
        }
        return all;
    }

    /** The crash fast path: a heartbeat target's port is closed, so its process is gone. */
    Outcome unreachable(String name, long now) {
        Member held = members.get(name);
        if (held == null || !held.status().inView() || name.equals(selfName)) {
            return Outcome.NONE;
        }
        deathsDeclared++;
        Member dead = held.with(MemberStatus.DEAD);
        return news(dead, put(dead, now));
    }

    /** Graceful leave: our own last word, final for this incarnation. */
    Outcome leave(long now) {
        Member left = self().with(MemberStatus.LEFT);
        return news(left, put(left, now));
    }

    /**
     * When a watched predecessor, silent since {@code since} (when we began to watch it) or its
     * last word, becomes a suspect. A predecessor that has not heartbeated us since it became
     * our predecessor may simply not count us among its successors yet (views still converging
     * after a join or a death); its other successors watch it meanwhile, so we give it twice
     * the time. Not forever: after a partition nobody may hold it armed any more.
     */
    private long silenceDeadline(String name, long since) {
        Long beat = lastHeartbeat.get(name);
        boolean armed = beat != null && beat >= since;
        long timeout = armed ? timing.suspicionTimeoutMillis() : 2 * timing.suspicionTimeoutMillis();
        return Math.max(since, lastHeard.getOrDefault(name, Long.MIN_VALUE)) + timeout;
    }

    /**
     * When a suspect unrefuted since {@code since} is declared dead here. The accuser confirms;
     * everybody else waits for its verdict (or the refutation) and only confirms on its own if
     * the accuser seems to have gone quiet too. Otherwise every member that heard a suspicion
     * late would declare its own death, and each refutation arriving late somewhere would cost
     * another round of gossip.
     */
    private long confirmDeadline(String name, long since) {
        long wait = accused.contains(name) ? timing.confirmTimeoutMillis()
                : timing.confirmTimeoutMillis() + timing.suspicionTimeoutMillis();
        return since + wait;
    }

    /**
     * The earliest instant after {@code now} at which {@link #tick} would suspect or declare
     * somebody dead if nothing were heard meanwhile; {@link Long#MAX_VALUE} if none. A glue
     * that ticks at least every probe interval (for its heartbeats) and at these instants
     * fires every timer on time: news from others only ever sets timers later than the next
     * heartbeat (a new suspect waits the confirm timeout, a new predecessor the suspicion
     * timeout). Timers already past but held back (a member just started and accuses nobody
     * yet) are left to the heartbeat ticks.
     */
    long nextTimer(long now) {
        long next = Long.MAX_VALUE;
        for (String name : watched()) {
            Member held = members.get(name);
            if (held != null && held.status() == MemberStatus.ALIVE) {
                long d = silenceDeadline(name, watchedSince.getOrDefault(name, now));
                if (d > now) {
                    next = Math.min(next, d);
                }
            }
        }
        for (Map.Entry<String, Long> e : suspectSince.entrySet()) {
            long d = confirmDeadline(e.getKey(), e.getValue());
            if (d > now) {
                next = Math.min(next, d);
            }
        }
        return next;
    }

    /**
     * Advances timers: silent predecessors become suspects, unrefuted suspects become dead.
     * The glue calls it when a heartbeat or a timer ({@link #nextTimer}) is due, so ticks may
     * be a heartbeat interval apart. {@code lateMillis} is how much later than planned this
     * tick runs: more than {@link #STALL_MILLIS} means this member itself was stalled (GC, CPU
     * starvation, a stopped process), and silence it did not witness is not held against
     * others: the silence clocks and suspect timers move on by the gap since the last tick.
     */
    Outcome tick(long now, long lateMillis) {
        List<Member> news = new ArrayList<>();
        boolean viewChanged = false;
        if (firstTick == Long.MIN_VALUE) {
            firstTick = now;
        }
        long gap = lastTick == Long.MIN_VALUE ? 0 : now - lastTick;
        lastTick = now;
        // Just started: our view is still filling and our predecessors may not know us yet.
        // Older members keep watching everybody meanwhile; when a whole cluster starts at once
        // this keeps the join storm from turning into a suspicion storm.
        boolean accusing = now - firstTick >= 3 * timing.suspicionTimeoutMillis();
        if (lateMillis > STALL_MILLIS) {
            stalls++;
            lastHeard.replaceAll((name, heard) -> heard + gap);
            suspectSince.replaceAll((name, since) -> since + gap);
        }
        List<String> watchedNow = watched();
        watchedSince.keySet().retainAll(watchedNow);
        for (String name : watchedNow) {
            long since = watchedSince.computeIfAbsent(name, n -> now);
            Member held = members.get(name);
            if (accusing && held.status() == MemberStatus.ALIVE && now >= silenceDeadline(name, since)) {
                suspicionsRaised++;
                accused.add(name);
                Member suspect = held.with(MemberStatus.SUSPECT);
                put(suspect, now);
                news.add(suspect);
                rumor(suspect);
            }
        }
        for (Map.Entry<String, Long> e : List.copyOf(suspectSince.entrySet())) {
            if (now >= confirmDeadline(e.getKey(), e.getValue())) {
                deathsDeclared++;
                Member dead = members.get(e.getKey()).with(MemberStatus.DEAD);
                viewChanged |= put(dead, now);
                news.add(dead);
                rumor(dead);
            }
        }
        for (Map.Entry<String, Long> e : List.copyOf(tombstoneSince.entrySet())) {
            if (now - e.getValue() >= timing.tombstoneMillis()) {
                members.remove(e.getKey());
                tombstoneSince.remove(e.getKey());
                rumors.remove(e.getKey());
            }
        }
        return news.isEmpty() ? Outcome.NONE : new Outcome(news, List.of(), viewChanged);
    }

    /**
     * Claims to piggyback on the next heartbeat round, freshest news first; each is sent for a
     * bounded number of rounds (a multiple of log10 of the cluster size), then dropped.
     */
    List<Member> piggyback(int max) {
        List<Map.Entry<String, Integer>> pending = new ArrayList<>(rumors.entrySet());
        pending.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<Member> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : pending) {
            if (out.size() == max) {
                break;
            }
            Member m = members.get(e.getKey());
            if (m == null) {
                rumors.remove(e.getKey());
                continue;
            }
            out.add(m);
            if (e.getValue() <= 1) {
                rumors.remove(e.getKey());
            } else {
                rumors.put(e.getKey(), e.getValue() - 1);
            }
        }
        return out;
    }

    long suspicionsRaised() {
        return suspicionsRaised;
    }

    long stalls() {
        return stalls;
    }

    long refutations() {
        return refutations;
    }

    long deathsDeclared() {
        return deathsDeclared;
    }

    private Outcome aboutSelf(Member claim) {
        Member me = self();
        if (me.status() == MemberStatus.LEFT || claim.status() == MemberStatus.ALIVE
                || claim.incarnation() < me.incarnation()) {
            return Outcome.NONE;
        }
        refutations++;
        Member refuted = new Member(selfName, me.address(), claim.incarnation() + 1, MemberStatus.ALIVE);
        put(refuted, 0);
        return news(refuted, false);
    }

    private Outcome news(Member claim, boolean viewChanged) {
        rumor(claim);
        return new Outcome(List.of(claim), List.of(), viewChanged);
    }

    private void rumor(Member claim) {
        // Rounds, not datagrams: each round goes to every heartbeat target.
        int log10 = (int) Math.ceil(Math.log10(members.size() + 1.0));
        rumors.put(claim.name(), timing.retransmitMultiplier() * Math.max(1, log10));
    }

    private static boolean supersedes(Member claim, Member held) {
        if (claim.incarnation() != held.incarnation()) {
            return claim.incarnation() > held.incarnation();
        }
        return claim.status().rank() > held.status().rank();
    }

    /** Stores a claim and keeps timers and the ring in step; returns whether the live view changed. */
    private boolean put(Member claim, long now) {
        Member before = members.put(claim.name(), claim);
        digest = null;
        boolean wasIn = before != null && before.status().inView();
        boolean isIn = claim.status().inView();
        if (claim.status() == MemberStatus.SUSPECT) {
            if (before == null || before.status() != MemberStatus.SUSPECT || before.incarnation() != claim.incarnation()) {
                suspectSince.put(claim.name(), now);
            }
        } else {
            suspectSince.remove(claim.name());
            accused.remove(claim.name());
        }
        if (isIn) {
            tombstoneSince.remove(claim.name());
        } else {
            tombstoneSince.putIfAbsent(claim.name(), now);
            lastHeard.remove(claim.name());
            lastHeartbeat.remove(claim.name());
        }
        if (wasIn != isIn) {
            setRing(Ring.of(liveMembers()));
        }
        return wasIn != isIn;
    }
}
