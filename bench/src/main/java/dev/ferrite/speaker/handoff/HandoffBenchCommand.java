package dev.ferrite.speaker.handoff;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.bench.JsonFigures;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a handed-off packet costs: on the two-node network of {@link HandoffNetwork}, keep-alive
 * connections to node A's pod are timed before the move, then the Service IP moves to node B
 * with the speaker's handoff rules on B ({@link HandoffInstaller}), and the same connections,
 * now carried client → B → A's pod, are timed side by side with new connections that B serves
 * itself. The extra latency of a handed-off packet is the difference of the two medians of the
 * same interval. Prints one line of JSON.
 */
@Command(name = "handoff", mixinStandardHelpOptions = true,
        description = "Benchmark the extra round-trip time of handed-off connections (client → new owner → previous "
                + "owner's pod) against direct ones, in network namespaces; prints JSON. Needs root.")
public final class HandoffBenchCommand implements Callable<Integer> {

    /** Round trips of one kind in one interval, as {@link KeepAliveClient} reports them. */
    record Kind(long n, long p50Micros, long p90Micros, long p99Micros, long meanMicros) {

        /** The kind answered by {@code pod} in a {@code stats} line; empty when that pod did not answer. */
        static Optional<Kind> of(String statsLine, String pod) {
            for (String part : statsLine.split(";")) {
                String[] w = part.strip().split(" ");
                if (w.length == 6 && w[0].equals(pod)) {
                    Map<String, Long> v = new TreeMap<>();
                    for (int i = 1; i < w.length; i++) {
                        String[] kv = w[i].split("=", 2);
                        v.put(kv[0], Long.parseLong(kv[1]));
                    }
                    return Optional.of(new Kind(v.get("n"), v.get("p50_us"), v.get("p90_us"), v.get("p99_us"), v.get("mean_us")));
                }
            }
            return Optional.empty();
        }
    }

    @Option(names = "--seconds", defaultValue = "5", description = "Seconds each interval is timed (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--connections", defaultValue = "4",
            description = "Keep-alive connections of each kind, each sending a line every 10 ms (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--proxy-modes", split = ",", defaultValue = "nftables,ipvs",
            description = "kube-proxy modes to measure: nftables (Service IP routed) and/or ipvs (Service IP on kube-ipvs0) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--families", split = ",", defaultValue = "ipv4,ipv6",
            description = "Service IP families to measure (default: ${DEFAULT-VALUE}).")
    List<String> families;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (seconds < 1 || seconds > 600) {
            err.println("--seconds " + seconds + ": must be between 1 and 600");
            return 2;
        }
        if (connections < 1 || connections > 100) {
            err.println("--connections " + connections + ": must be between 1 and 100");
            return 2;
        }
        for (String m : modes) {
            if (!m.equals("nftables") && !m.equals("ipvs")) {
                err.println("--proxy-modes: '" + m + "' is neither nftables nor ipvs");
                return 2;
            }
        }
        for (String f : families) {
            if (!f.equals("ipv4") && !f.equals("ipv6")) {
                err.println("--families: '" + f + "' is neither ipv4 nor ipv6");
                return 2;
            }
        }
        if (!HandoffNetwork.isRoot()) {
            err.println("ferrite bench handoff needs root: it creates network namespaces, links and nftables rules");
            return 2;
        }
        Path logs = Files.createTempDirectory("ferrite-bench-handoff-");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", "\"handoff\"");
        figures.put("seconds", seconds);
        figures.put("connections", connections);
        try {
            for (String mode : modes) {
                for (String family : families) {
                    err.println("bench handoff: " + mode + " " + family);
                    measure(mode.equals("ipvs"), family.equals("ipv6"), logs, mode + "_" + family + "_", figures);
                }
            }
        } catch (RuntimeException e) {
            err.println("bench handoff failed: " + e.getMessage() + " (the pods' and client's logs are in " + logs + ")");
            return 1;
        }
        spec.commandLine().getOut().println(JsonFigures.toJson(figures));
        try (var files = Files.walk(logs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return 0;
    }

    private void measure(boolean ipvs, boolean ipv6, Path logs, String prefix, Map<String, Object> figures) throws Exception {
        try (HandoffNetwork net = HandoffNetwork.create(ipvs, ipv6, logs)) {
            HandoffNetwork.Child client = net.client();
            // Node A owns the Service IP: these connections go to A's pod, directly.
            expect("opened " + connections + " failed 0", client.ask("open " + connections), "connections to node A");
            Kind before = interval(client, "a", "direct to node A before the move");

            // The Service IP moves to B; B hands A's connections to A and serves new ones itself.
            HandoffInstaller onB = new HandoffInstaller(HandoffSettings.defaults(), net.commandsOn(net.nodeB));
            if (onB.start("bench handoff") instanceof HandoffInstaller.Availability.Off off) {
                throw new IllegalStateException("handoff is off on node B: " + off.reason());
            }
            try {
                IpAddress vip = IpAddress.parse(net.vip).orElseThrow();
                Instant now = Instant.now();
                onB.apply(new TreeMap<>(Map.of(vip, new HandoffWindow(vip, "a", IpAddress.parse(net.nodeAAddress).orElseThrow(),
                        now, now.plus(Duration.ofMinutes(10))))));
                net.pointClientAt(HandoffNetwork.MAC_B);
                expect("opened " + connections + " failed 0", client.ask("open " + connections), "connections to node B");
                String stats = timed(client);
                Kind handedOff = Kind.of(stats, "a").orElseThrow(() -> new IllegalStateException(
                        "no answer from node A's pod through node B in " + seconds + " s: " + stats));
                Kind direct = Kind.of(stats, "b").orElseThrow(() -> new IllegalStateException(
                        "no answer from node B's pod in " + seconds + " s: " + stats));
                String report = client.ask("report");
                HandoffInstaller.Counts counts = onB.counts();

                put(figures, prefix + "direct_before_", before);
                put(figures, prefix + "handed_off_", handedOff);
                put(figures, prefix + "direct_", direct);
                figures.put(prefix + "extra_p50_us", handedOff.p50Micros() - direct.p50Micros());
                figures.put(prefix + "extra_p99_us", handedOff.p99Micros() - direct.p99Micros());
                figures.put(prefix + "extra_vs_before_p50_us", handedOff.p50Micros() - before.p50Micros());
                figures.put(prefix + "flows_handed_off", counts.flows());
                figures.put(prefix + "packets_handed_off", counts.packets());
                figures.put(prefix + "connections_broken", brokenIn(report));
            } finally {
                onB.stop();
            }
        }
    }

    /** One warm-up second, then {@link #seconds} timed; the round trips answered by {@code pod}. */
    private Kind interval(HandoffNetwork.Child client, String pod, String what) throws Exception {
        String stats = timed(client);
        return Kind.of(stats, pod).orElseThrow(() -> new IllegalStateException(
                "no answer " + what + " in " + seconds + " s: " + stats));
    }

    private String timed(HandoffNetwork.Child client) throws Exception {
        Thread.sleep(1000);
        client.ask("stats");
        Thread.sleep(seconds * 1000L);
        return client.ask("stats");
    }

    private static void put(Map<String, Object> figures, String prefix, Kind k) {
        figures.put(prefix + "n", k.n());
        figures.put(prefix + "p50_us", k.p50Micros());
        figures.put(prefix + "p90_us", k.p90Micros());
        figures.put(prefix + "p99_us", k.p99Micros());
        figures.put(prefix + "mean_us", k.meanMicros());
    }

    /** The broken connections a {@code report} line counts. */
    static int brokenIn(String report) {
        for (String w : report.split(" ")) {
            if (w.startsWith("broken=")) {
                return Integer.parseInt(w.substring("broken=".length()));
            }
        }
        throw new IllegalStateException("the client's report has no broken count: " + report);
    }

    private static void expect(String wanted, String got, String what) {
        if (!wanted.equals(got)) {
            throw new IllegalStateException(what + ": the client answered '" + got + "', not '" + wanted + "'");
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HandoffBenchCommand()).execute(args));
    }
}
