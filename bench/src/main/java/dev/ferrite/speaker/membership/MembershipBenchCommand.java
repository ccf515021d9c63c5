package dev.ferrite.speaker.membership;

import dev.ferrite.speaker.CommandLineValues;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs N real members on 127.0.0.1 in this JVM (each with its own sockets and threads) and
 * measures what an operator cares about: message rate per member, how fast a crashed or a
 * silent member leaves every view, false suspicions, and how fast a view converges.
 *
 * <p>A kill closes a member's sockets abruptly without leaving (its port answers ICMP
 * port-unreachable, as after kill -9); a silence stops every datagram the member sends while
 * its socket stays open (as SIGSTOP, or a node whose link is down, seen from peers).
 * Detection time is measured until the last surviving member's view has dropped the victim.
 */
@Command(name = "membership", mixinStandardHelpOptions = true,
        description = "Benchmark membership failure detection on loopback; prints JSON.")
public final class MembershipBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--members", description = "members to run (default ${DEFAULT-VALUE})")
    int members = 50;

    @Option(names = "--kills", description = "members to crash, one after another (default ${DEFAULT-VALUE})")
    int kills = 10;

    @Option(names = "--silences", description = "members to silence, one after another (default ${DEFAULT-VALUE})")
    int silences = 10;

    @Option(names = "--measure-seconds", description = "steady-state window for message rates (default ${DEFAULT-VALUE})")
    int measureSeconds = 10;

    @Option(names = "--loss-percent", description = "random outbound loss injected at every member (default ${DEFAULT-VALUE})")
    int lossPercent = 0;

    @Option(names = "--probe-interval", paramLabel = "DURATION", converter = CommandLineValues.DurationValue.class,
            defaultValue = "200ms", description = "every member's heartbeat interval, as the speaker's"
                    + " --membership-probe-interval (default ${DEFAULT-VALUE})")
    Duration probeInterval;

    @Option(names = "--suspicion-timeout", paramLabel = "DURATION", converter = CommandLineValues.DurationValue.class,
            defaultValue = "600ms", description = "every member's suspicion timeout, as the speaker's"
                    + " --membership-suspicion-timeout (default ${DEFAULT-VALUE})")
    Duration suspicionTimeout;

    @Option(names = "--json", description = "print only the JSON result")
    boolean json;

    private final Map<String, Map<String, Long>> removedAt = new ConcurrentHashMap<>();
    private final Set<String> victims = ConcurrentHashMap.newKeySet();
    /** Each member's outbound rule, by name: loss, or nothing at all for a silenced member. */
    private final Map<String, AtomicReference<Predicate<InetSocketAddress>>> outbound = new ConcurrentHashMap<>();
    private final AtomicLong falseRemovalsStartup = new AtomicLong();
    private final AtomicLong falseRemovals = new AtomicLong();
    private volatile boolean converged;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MembershipBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (members < 3 || kills + silences > members - 2) {
            spec.commandLine().getErr().println("--members must be at least 3 and --kills + --silences at most members - 2");
            return 2;
        }
        MembershipSecret secret = new MembershipSecret.Shared("bench-secret-0123456789".getBytes(StandardCharsets.UTF_8));
        List<String> problems = config("node-0", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), secret).problems();
        if (!problems.isEmpty()) {
            spec.commandLine().getErr().println("membership bench: " + String.join("; ", problems));
            return 2;
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i <= members; i++) {
            addresses.add(LoopbackPorts.free());
        }
        List<UdpMembership> cluster = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            cluster.add(member("node-" + i, addresses.get(i), addresses, secret));
        }
        SplittableRandom random = new SplittableRandom(42);
        try {
            long startNanos = System.nanoTime();
            cluster.forEach(UdpMembership::start);
            double startupConvergence = awaitViews(cluster, members, startNanos);

            UdpMembership late = member("node-late", addresses.get(members), addresses, secret);
            Thread.sleep(1_000);
            long joinNanos = System.nanoTime();
            late.start();
            cluster.add(late);
            double joinConvergence = awaitViews(cluster, members + 1, joinNanos);
            converged = true;
            Thread.sleep(1_000);

            if (lossPercent > 0) {
                for (UdpMembership m : cluster) {
                    SplittableRandom r = new SplittableRandom(m.nodeName().hashCode());
                    outbound.get(m.nodeName()).set(a -> r.nextInt(100) >= lossPercent);
                }
            }
            List<MembershipStats> before = cluster.stream().map(UdpMembership::stats).toList();
            long t0 = System.nanoTime();
            Thread.sleep(measureSeconds * 1000L);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<MembershipStats> after = cluster.stream().map(UdpMembership::stats).toList();

            List<UdpMembership> running = new ArrayList<>(cluster);
            double[] killMillis = detect(running, random, kills, false);
            double[] silenceMillis = detect(running, random, silences, true);
            List<MembershipStats> end = cluster.stream().map(UdpMembership::stats).toList();

            String out = report(before, after, end, seconds, startupConvergence, joinConvergence, killMillis, silenceMillis);
            if (!json) {
                System.out.println("# " + (members + 1) + " members in one JVM on 127.0.0.1, each with its own UDP sockets"
                        + " and threads; loss " + lossPercent + "%; heartbeat every " + probeInterval.toMillis()
                        + " ms, suspicion after " + suspicionTimeout.toMillis() + " ms");
            }
            System.out.println(out);
            return 0;
        } finally {
            cluster.forEach(UdpMembership::close);
        }
    }

    private UdpMembership member(String name, InetSocketAddress address, List<InetSocketAddress> seeds,
                                                             MembershipSecret secret) {
        AtomicReference<Predicate<InetSocketAddress>> rule = new AtomicReference<>(a -> true);
        outbound.put(name, rule);
        UdpMembership m = new UdpMembership(config(name, address, secret), to -> rule.get().test(to));
        m.updateSeeds(seeds);
        Set<String> previous = ConcurrentHashMap.newKeySet();
        m.addListener(view -> {
            long now = System.nanoTime();
            for (String gone : previous) {
                if (!view.contains(gone)) {
                    removedAt.computeIfAbsent(gone, g -> new ConcurrentHashMap<>()).put(name, now);
                    if (!victims.contains(gone)) {
                        (converged ? falseRemovals : falseRemovalsStartup).incrementAndGet();
                    }
                }
            }
            previous.clear();
            previous.addAll(view);
        });
        return m;
    }

    /** The speaker's membership defaults with this run's heartbeat interval and suspicion timeout. */
    private MembershipConfig config(String name, InetSocketAddress address, MembershipSecret secret) {
        return MembershipConfig.defaults(name, address, secret).withTimings(probeInterval, suspicionTimeout);
    }

    /** Milliseconds from {@code since} until every member sees {@code size} members; -1 if not within 20 s. */
    private static double awaitViews(List<UdpMembership> cluster, int size, long since) throws InterruptedException {
        long deadline = since + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (cluster.stream().allMatch(m -> m.liveMembers().size() == size)) {
                return (System.nanoTime() - since) / 1e6;
            }
            Thread.sleep(2);
        }
        return -1;
    }

    /** Crashes (or silences) victims one at a time; returns per-victim detection times in ms, -1 if missed. */
    private double[] detect(List<UdpMembership> running, SplittableRandom random, int count, boolean silence)
            throws InterruptedException {
        double[] times = new double[count];
        for (int k = 0; k < count; k++) {
            UdpMembership victim = running.remove(random.nextInt(running.size()));
            String name = victim.nodeName();
            victims.add(name);
            long t0 = System.nanoTime();
            if (silence) {
                outbound.get(name).set(a -> false);
            } else {
                victim.close();
            }
            Set<String> observers = new HashSet<>();
            running.forEach(m -> observers.add(m.nodeName()));
            long deadline = t0 + 5_000_000_000L;
            times[k] = -1;
            while (System.nanoTime() < deadline) {
                Map<String, Long> seen = removedAt.getOrDefault(name, Map.of());
                if (seen.keySet().containsAll(observers)) {
                    long last = observers.stream().mapToLong(seen::get).max().orElse(t0);
                    times[k] = (last - t0) / 1e6;
                    break;
                }
                Thread.sleep(2);
            }
            if (times[k] < 0) {
                List<String> still = running.stream().filter(m -> m.liveMembers().contains(name))
                        .map(UdpMembership::nodeName).toList();
                System.err.println("membership bench: " + name + " still in the view of " + still + " after 5 s");
            }
            victim.close();
            Thread.sleep(1_500);
        }
        return times;
    }

    private String report(List<MembershipStats> before, List<MembershipStats> after, List<MembershipStats> end,
                                                double seconds, double startup, double join, double[] killMillis, double[] silenceMillis) {
        double[] sent = new double[before.size()];
        double[] recv = new double[before.size()];
        double[] bytesOut = new double[before.size()];
        double[] bytesIn = new double[before.size()];
        for (int i = 0; i < before.size(); i++) {
            sent[i] = (after.get(i).messagesSent() - before.get(i).messagesSent()) / seconds;
            recv[i] = (after.get(i).messagesReceived() - before.get(i).messagesReceived()) / seconds;
            bytesOut[i] = (after.get(i).bytesSent() - before.get(i).bytesSent()) / seconds;
            bytesIn[i] = (after.get(i).bytesReceived() - before.get(i).bytesReceived()) / seconds;
        }
        long steadySuspicions = 0;
        for (int i = 0; i < before.size(); i++) {
            steadySuspicions += after.get(i).suspicionsRaised() - before.get(i).suspicionsRaised();
        }
        long refutations = end.stream().mapToLong(MembershipStats::refutations).sum();
        long authFailures = end.stream().mapToLong(MembershipStats::authFailures).sum();
        long replays = end.stream().mapToLong(MembershipStats::replaysDropped).sum();
        long stalls = end.stream().mapToLong(MembershipStats::stalls).sum();
        StringBuilder b = new StringBuilder("{");
        field(b, "members", members + 1).append(',');
        field(b, "process", "\"one JVM, one UDP socket set and thread set per member, 127.0.0.1\"").append(',');
        field(b, "lossPercent", lossPercent).append(',');
        field(b, "probeIntervalMillis", probeInterval.toMillis()).append(',');
        field(b, "suspicionTimeoutMillis", suspicionTimeout.toMillis()).append(',');
        field(b, "startupConvergenceMillis", num(startup)).append(',');
        field(b, "joinConvergenceMillis", num(join)).append(',');
        field(b, "measureSeconds", num(seconds)).append(',');
        b.append("\"perMember\":{");
        field(b, "msgsSentPerSec", stats(sent)).append(',');
        field(b, "msgsReceivedPerSec", stats(recv)).append(',');
        field(b, "bytesSentPerSec", stats(bytesOut)).append(',');
        field(b, "bytesReceivedPerSec", stats(bytesIn)).append("},");
        field(b, "crashDetectionMillis", percentiles(killMillis)).append(',');
        field(b, "silentDetectionMillis", percentiles(silenceMillis)).append(',');
        field(b, "suspicionsDuringSteadyState", steadySuspicions).append(',');
        field(b, "refutations", refutations).append(',');
        field(b, "falseRemovalsDuringStartup", falseRemovalsStartup.get()).append(',');
        field(b, "falseRemovalsAfterConvergence", falseRemovals.get()).append(',');
        field(b, "authFailures", authFailures).append(',');
        field(b, "replaysDropped", replays).append(',');
        field(b, "memberStalls", stalls).append(',');
        field(b, "loadAverage", num(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage())).append(',');
        field(b, "cpus", Runtime.getRuntime().availableProcessors());
        return b.append('}').toString();
    }

    private static StringBuilder field(StringBuilder b, String name, Object value) {
        return b.append('"').append(name).append("\":").append(value);
    }

    private static String stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format(Locale.ROOT, "{\"mean\":%.1f,\"max\":%.1f}", mean, s.length == 0 ? 0 : s[s.length - 1]);
    }

    private static String percentiles(double[] v) {
        long missed = Arrays.stream(v).filter(x -> x < 0).count();
        double[] s = Arrays.stream(v).filter(x -> x >= 0).sorted().toArray();
        if (s.length == 0) {
            return "{\"count\":0,\"missed\":" + missed + "}";
        }
        return String.format(Locale.ROOT, "{\"count\":%d,\"missed\":%d,\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f,\"all\":%s}",
                s.length, missed, pct(s, 0.50), pct(s, 0.99), s[s.length - 1],
                Arrays.toString(Arrays.stream(s).map(x -> Math.round(x * 10) / 10.0).toArray()));
    }

    private static double pct(double[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
