package dev.ferrite.speaker.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.Pool;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.speaker.election.Election;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ProbeResult;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ownership loop with the probe before a first announcement, against a scripted announcer. */
class OwnershipLoopProbeTest {

    private static final ServiceKey WEB = new ServiceKey("default", "web");
    private static final String TAKEN_BY = "02:00:00:00:00:99";

    /** Records calls; answers probes at once, in use for the IPs in {@code taken}. */
    private static final class ScriptedAnnouncer implements Announcer {
        final List<String> calls = new ArrayList<>();
        final java.util.SortedMap<IpAddress, Set<String>> announced = new java.util.TreeMap<>();
        final Set<IpAddress> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile Consumer<ProbeResult> lastDone = r -> { };

        @Override
        public synchronized void announce(Map<IpAddress, Set<String>> wanted) {
            wanted.keySet().forEach(ip -> {
                calls.add("announce " + ip);
                announced.put(ip, Set.of("eth0"));
            });
        }

        @Override
        public void probe(Map<IpAddress, Set<String>> ips, Consumer<ProbeResult> done) {
            lastDone = done;
            for (IpAddress ip : ips.keySet()) {
                synchronized (this) {
                    calls.add("probe " + ip);
                }
                done.accept(taken.contains(ip) ? new ProbeResult.InUse(ip, TAKEN_BY, "ARP reply", "eth0")
                        : new ProbeResult.Free(ip));
            }
        }

        @Override
        public void reassert(IpAddress ip) {
        }

        @Override
        public synchronized void withdraw(IpAddress ip) {
            calls.add("withdraw " + ip);
            announced.remove(ip);
        }

        @Override
        public synchronized java.util.SortedMap<IpAddress, Set<String>> announcements() {
            return new java.util.TreeMap<>(announced);
        }

        @Override
        public AnnouncerCounts counts() {
            return new AnnouncerCounts(0, 0, 0, 0, 0, Map.of());
        }

        @Override
        public void close() {
        }

        synchronized void record(String call) {
            calls.add(call);
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }
    }

    private final ScriptedAnnouncer announcer = new ScriptedAnnouncer();
    private final AtomicReference<ClusterSnapshot> snapshot = new AtomicReference<>(ClusterSnapshot.EMPTY);
    private final AtomicReference<Set<String>> live = new AtomicReference<>(Set.of("node-a"));
    private final AtomicReference<Map<ServiceKey, ServiceAnnouncement>> reported = new AtomicReference<>(Map.of());
    private final OwnershipLoop loop = new OwnershipLoop("node-a", snapshot::get, live::get, announcer, reported::set,
            Duration.ofMillis(1));

    @AfterEach
    void close() {
        loop.close();
    }

    private static ClusterSnapshot withService(IpAddress ip) {
        Map<String, NodeView> nodes = new HashMap<>();
        for (String n : List.of("node-a", "node-b")) {
            nodes.put(n, new NodeView(n, Map.of(), false, List.of()));
        }
        Pool pool = new Pool("lab", Map.of(), List.of(IpRange.ofPrefix(IpAddress.parse("198.18.0.0").orElseThrow(), 24)),
                true, false, Optional.empty());
        Advertisement ad = new Advertisement("all", Set.of("lab"), List.of(), List.of(), List.of());
        return new ClusterSnapshot(List.of(new ServiceView(WEB, "uid-web", Map.of(), List.of(ip), false)), nodes, Map.of(),
                Config.of(Map.of("lab", pool), List.of(ad)));
    }

    /** An IP of the lab pool that node-b wins over node-a. */
    private static IpAddress ipNodeBWins() {
        return ipWonBy("node-b", "node-a");
    }

    private static IpAddress ipWonBy(String winner, String loser) {
        for (int i = 1; i < 255; i++) {
            IpAddress ip = IpAddress.parse("198.18.0." + i).orElseThrow();
            if (Long.compareUnsigned(Election.score(winner, ip), Election.score(loser, ip)) > 0) {
                return ip;
            }
        }
        throw new AssertionError("no IP that node-b wins");
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        if (!condition.getAsBoolean()) {
            fail("not within 5 s: " + what);
        }
    }

    /** Waits until a recompute asked for now has applied its plan. */
    private void settle() throws InterruptedException {
        long before = loop.recomputes();
        loop.requestRecompute();
        await("a recompute", () -> loop.recomputes() > before);
        // the count rises as a recompute starts; they run one at a time, so once the next one
        // has started the one before has applied its plan
        long started = loop.recomputes();
        loop.requestRecompute();
        await("the recompute after it", () -> loop.recomputes() > started);
        Thread.sleep(50);
    }

    @Test
    void aFollowUpRecomputesWhileItsStateHoldsAndNotOnceItEnds() throws InterruptedException {
        AtomicBoolean holds = new AtomicBoolean();
        loop.recheckAfterRecomputeWhile(Duration.ofMillis(20), holds::get);
        settle();
        long quiet = loop.recomputes();
        Thread.sleep(300);
        assertEquals(quiet, loop.recomputes(), "nothing holds: no recompute without a request");

        holds.set(true);
        loop.requestRecompute();
        Thread.sleep(500);
        long during = loop.recomputes() - quiet;
        // one every 20 ms (plus the 1 ms coalesce) while it holds: about 24 in 500 ms
        assertTrue(during >= 5, "only " + during + " recomputes in 500 ms while the state held");

        holds.set(false);
        // the one follow-up armed when it ended still runs
        Thread.sleep(300);
        long ended = loop.recomputes();
        Thread.sleep(300);
        assertEquals(ended, loop.recomputes(), "the follow-ups stop once the state ends");
    }

    @Test
    void aNewServiceIpIsProbedThenAnnounced() throws InterruptedException {
        loop.requestRecompute();
        settle();
        IpAddress ip = IpAddress.parse("198.18.0.10").orElseThrow();
        snapshot.set(withService(ip));
        loop.requestRecompute();
        await("announced", () -> announcer.calls().contains("announce " + ip));
        assertEquals(List.of("probe " + ip, "announce " + ip), announcer.calls());
        await("reported", () -> reported.get().containsKey(WEB) && reported.get().get(WEB).ips().equals(List.of(ip)));
    }

    @Test
    void handoffIsToldBeforeTheAnnouncementAndSettlesAfterIt() throws InterruptedException {
        loop.afterRecompute((snap, members, plan, withoutSelf) -> announcer.record("recomputed"));
        loop.afterAnnouncing(() -> announcer.record("announced"));
        loop.requestRecompute();
        settle();
        IpAddress ip = IpAddress.parse("198.18.0.14").orElseThrow();
        snapshot.set(withService(ip));
        loop.requestRecompute();
        await("announced", () -> announcer.calls().contains("announce " + ip));
        settle();
        List<String> calls = announcer.calls();
        int announce = calls.indexOf("announce " + ip);
        assertEquals("recomputed", calls.get(announce - 1), "handoff hears of the recompute before the announcement: " + calls);
        assertEquals("announced", calls.get(announce + 1), "settled right after the announcement: " + calls);
    }

    @Test
    void anIpInUseIsNotAnnouncedAndIsReported() throws InterruptedException {
        loop.requestRecompute();
        settle();
        IpAddress ip = IpAddress.parse("198.18.0.11").orElseThrow();
        announcer.taken.add(ip);
        snapshot.set(withService(ip));
        loop.requestRecompute();
        await("conflict reported", () -> reported.get().containsKey(WEB) && !reported.get().get(WEB).conflicts().isEmpty());
        settle();
        assertEquals(List.of("probe " + ip), announcer.calls(), "probed once, never announced");
        ServiceAnnouncement a = reported.get().get(WEB);
        assertTrue(a.ips().isEmpty());
        AddressConflict c = a.conflicts().get(0);
        assertEquals(ip, c.ip());
        assertEquals(AddressConflict.Kind.IN_USE, c.kind());
        assertEquals(TAKEN_BY, c.mac());
        assertEquals(Set.of(ip), loop.addressesInUse());
    }

    @Test
    void anAnswerReadLateWithdrawsTheIpAgainAndReportsIt() throws InterruptedException {
        loop.requestRecompute();
        settle();
        IpAddress ip = IpAddress.parse("198.18.0.13").orElseThrow();
        snapshot.set(withService(ip));
        loop.requestRecompute();
        await("announced after a free probe", () -> announcer.calls().contains("announce " + ip));
        announcer.lastDone.accept(new ProbeResult.InUse(ip, TAKEN_BY, "ARP reply", "eth0"));
        await("withdrawn", () -> announcer.calls().contains("withdraw " + ip));
        await("reported", () -> reported.get().containsKey(WEB) && reported.get().get(WEB).ips().isEmpty()
                && !reported.get().get(WEB).conflicts().isEmpty());
    }

    @Test
    void aSpeakerThatStartsBeforeItsInformersSyncedStillTakesBackWithoutProbing() throws InterruptedException {
        // a restart: members are seen before the Services are; the history comes from the first complete snapshot
        java.util.concurrent.atomic.AtomicBoolean synced = new java.util.concurrent.atomic.AtomicBoolean();
        loop.snapshotsCompleteWhen(synced::get);
        live.set(Set.of("node-a", "node-b"));
        loop.requestRecompute();
        settle();
        IpAddress ip = ipWonBy("node-a", "node-b");
        snapshot.set(withService(ip));
        synced.set(true);
        loop.requestRecompute();
        await("taken back", () -> announcer.calls().contains("announce " + ip));
        assertEquals(List.of("announce " + ip), announcer.calls(), "no probe");
    }

    @Test
    void aRestartedSpeakerWhoseFirstCompletePlanLacksTheConfigStillDoesNotProbe() throws InterruptedException {
        // informers synced, but the pools arrive a moment later: the first plans own nothing
        live.set(Set.of("node-a", "node-b"));
        loop.requestRecompute();
        settle();
        IpAddress ip = ipWonBy("node-a", "node-b");
        snapshot.set(withService(ip));
        loop.requestRecompute();
        await("taken back", () -> announcer.calls().contains("announce " + ip));
        assertEquals(List.of("announce " + ip), announcer.calls(), "no probe within the start window");
    }

    @Test
    void untilTheMembersMacsAreKnownANewIpIsAnnouncedWithoutAProbe() throws InterruptedException {
        // a member's answer would look foreign: better announce unprobed than move a Service for nothing
        loop.probeWhen(() -> false);
        loop.requestRecompute();
        settle();
        IpAddress ip = IpAddress.parse("198.18.0.14").orElseThrow();
        announcer.taken.add(ip);
        snapshot.set(withService(ip));
        loop.requestRecompute();
        await("announced", () -> announcer.calls().contains("announce " + ip));
        assertEquals(List.of("announce " + ip), announcer.calls());
    }

    @Test
    void failoverToThisNodeIsNotProbed() throws InterruptedException {
        // node-a starts alone (nothing to seed), then node-b joins and owns the IP, then node-b dies
        loop.requestRecompute();
        settle();
        IpAddress ip = ipNodeBWins();
        live.set(Set.of("node-a", "node-b"));
        snapshot.set(withService(ip));
        settle();
        assertFalse(announcer.calls().contains("announce " + ip), "node-b owns it");
        // a member's ownership counts as "it announced" after ProbeGate.OTHER_OWNED_FOR
        Thread.sleep(ProbeGate.OTHER_OWNED_FOR.toMillis() + 100);
        live.set(Set.of("node-a"));
        loop.requestRecompute();
        await("node-a takes over", () -> announcer.calls().contains("announce " + ip));
        assertEquals(List.of("announce " + ip), announcer.calls(), "taken over without a probe");
    }

    @Test
    void aSpeakerThatStartsWhileAnotherMemberAnnouncesDoesNotProbeWhatItTakesBack() throws InterruptedException {
        // restart of node-b's peer: at node-a's first plan node-b is live and owns the IP without node-a
        IpAddress ip = ipWonBy("node-a", "node-b");
        live.set(Set.of("node-a", "node-b"));
        snapshot.set(withService(ip));
        loop.requestRecompute();
        settle();
        assertEquals(List.of("announce " + ip), announcer.calls(), "taken back without a probe");
    }

    @Test
    void handoffAndTheProbeHistoryShareOneElectionWithoutThisNode() throws InterruptedException {
        // a restart: flow handoff asks who held each IP while node-a was away, and the probe
        // history is seeded from the same answer, elected once
        IpAddress ip = ipWonBy("node-a", "node-b");
        List<OwnershipPlan> asked = java.util.Collections.synchronizedList(new ArrayList<>());
        loop.afterRecompute((snap, members, plan, withoutSelf) -> {
            asked.add(withoutSelf.get());
            asked.add(withoutSelf.get());
        });
        live.set(Set.of("node-a", "node-b"));
        snapshot.set(withService(ip));
        loop.requestRecompute();
        await("taken back", () -> announcer.calls().contains("announce " + ip));
        settle();
        assertTrue(asked.size() >= 2, "asked: " + asked);
        assertTrue(asked.get(0) == asked.get(1), "elected once per recompute");
        assertTrue(asked.get(0).ownedBy("node-b").containsKey(ip), "the election without node-a");
        assertEquals(List.of("announce " + ip), announcer.calls(), "the history seeded from it: taken back without a probe");
    }
}
