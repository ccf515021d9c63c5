package dev.ferrite.speaker.membership;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Members on 127.0.0.1 with their own sockets and threads, for the integration tests. */
final class Cluster implements AutoCloseable {
    static final MembershipSecret SECRET = new MembershipSecret.Shared("lab-secret-0123456789".getBytes(StandardCharsets.UTF_8));

    final List<UdpMembership> members = new ArrayList<>();
    /** Each member's outbound rule: all pass until a test loses, partitions or silences. */
    private final List<AtomicReference<Predicate<InetSocketAddress>>> rules = new ArrayList<>();

    /** {@code n} members with the speaker's membership defaults. */
    static Cluster of(int n) {
        return of(n, d -> d);
    }

    /** {@code n} members heartbeating every {@code probeInterval}, suspecting after six intervals. */
    static Cluster of(int n, Duration probeInterval) {
        return of(n, d -> d.withTimings(probeInterval, probeInterval.multipliedBy(6)));
    }

    private static Cluster of(int n, UnaryOperator<MembershipConfig> settings) {
        Cluster c = new Cluster();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addresses.add(freeAddress());
        }
        for (int i = 0; i < n; i++) {
            AtomicReference<Predicate<InetSocketAddress>> rule = new AtomicReference<>(a -> true);
            c.rules.add(rule);
            MembershipConfig config = settings.apply(MembershipConfig.defaults("node-" + i, addresses.get(i), SECRET));
            c.members.add(new UdpMembership(config, to -> rule.get().test(to)));
        }
        for (UdpMembership m : c.members) {
            m.updateSeeds(addresses);
            m.start();
        }
        return c;
    }

    static InetSocketAddress freeAddress() {
        return LoopbackPorts.free();
    }

    UdpMembership get(int i) {
        return members.get(i);
    }

    /** From now on member {@code i} sends only to the addresses {@code rule} accepts. */
    void outbound(int i, Predicate<InetSocketAddress> rule) {
        rules.get(i).set(rule);
    }

    /** Member {@code i} sends nothing (true) or everything again (false): a node that went silent. */
    void silence(int i, boolean silent) {
        outbound(i, silent ? a -> false : a -> true);
    }

    Set<String> names(int... indexes) {
        Set<String> s = new TreeSet<>();
        for (int i : indexes) {
            s.add(members.get(i).nodeName());
        }
        return s;
    }

    Set<String> allNames() {
        Set<String> s = new TreeSet<>();
        members.forEach(m -> s.add(m.nodeName()));
        return s;
    }

    /** True when every listed member's view equals {@code view}. */
    boolean viewsEqual(Set<String> view, int... indexes) {
        for (int i : indexes) {
            if (!members.get(i).liveMembers().equals(view)) {
                return false;
            }
        }
        return true;
    }

    int[] all() {
        return java.util.stream.IntStream.range(0, members.size()).toArray();
    }

    /** Polls until the condition holds; false if it did not within the bound. */
    static boolean eventually(long boundMillis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + boundMillis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        members.forEach(UdpMembership::close);
    }
}
