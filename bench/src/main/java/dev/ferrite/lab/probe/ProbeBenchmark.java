package dev.ferrite.lab.probe;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.backend.NodeBackend;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabStart;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How good an instrument the lab is, printed as one JSON object: how long the network takes
 * to build and remove, how long a backend JVM takes to serve, how many probes per second
 * the client achieves and what one probe costs, and how soon after a link comes back the
 * probe sees an answer (the lab's own contribution to any measured outage).
 *
 * <p>Usage (root): {@code java -cp bench/target/ferrite-bench.jar dev.ferrite.lab.probe.ProbeBenchmark [nodes] [seconds]}
 */
public final class ProbeBenchmark {

    private ProbeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Topology topology = Topology.withRandomId("ferrite-bench-", nodes);
        Duration bound = Duration.ofSeconds(20);
        Path logs = Files.createTempDirectory("ferrite-bench-");

        long t0 = System.nanoTime();
        LabStart start = LabNetwork.up(topology);
        if (start instanceof LabStart.Refused refused) {
            System.err.println(refused.message());
            System.exit(1);
        }
        LabNetwork lab = start.orThrow();
        long upNanos = System.nanoTime() - t0;
        long downNanos;
        String json;
        try {
            LabProcesses processes = new LabProcesses(lab, logs);
            Host node = topology.node(1);
            IpAddress vip = Topology.vip(IpFamily.IPv4, 0);
            long b0 = System.nanoTime();
            NodeBackend.startOn(processes, node, bound);
            long backendReadyNanos = System.nanoTime() - b0;
            lab.addVip(node, vip);
            lab.pinNeighbour(topology.client(), vip, node.mac());

            LabProcess probe = ProbeMain.startOn(processes, topology.client(),
                    ProbeOptions.of(List.of(vip.toString()), Long.MAX_VALUE, Duration.ofSeconds(seconds + 30)));
            probe.awaitLines(l -> l.contains("\"ok\":true"), 50, bound);
            Thread.sleep(seconds * 1000L);
            long downAt = System.nanoTime();
            lab.linkDown(node);
            long afterDown = probe.lines().size();
            probe.awaitLines(l -> l.contains("\"ok\":false"), 5, bound);
            lab.linkUp(node);
            long upAt = System.nanoTime();
            probe.awaitLines(l -> l.contains("\"ok\":true"), afterDown + 20, bound);
            probe.terminate();
            probe.waitFor(bound);

            List<ProbeResult> results = ProbeResult.readAll(probe.log());
            // steady state: from the 50th answer (both JVMs warmed up) to the fault
            long first = results.stream().filter(r -> r instanceof ProbeResult.Answered)
                    .mapToLong(ProbeResult::tNanos).sorted().skip(49).findFirst().orElseThrow();
            List<ProbeResult> window = results.stream().filter(r -> r.tNanos() >= first && r.tNanos() < downAt).toList();
            List<Long> latencies = window.stream().filter(r -> r instanceof ProbeResult.Answered)
                    .map(ProbeResult::latencyMicros).sorted().toList();
            long steady = window.size();
            long lastSteady = window.stream().mapToLong(ProbeResult::tNanos).max().orElse(first);
            long firstAfterUp = results.stream().filter(r -> r instanceof ProbeResult.Answered && r.tNanos() >= upAt)
                    .mapToLong(ProbeResult::tNanos).min().orElse(-1);
            json = String.format(Locale.ROOT,
                    "\"nodes\":%d,\"lab_up_ms\":%.1f,\"backend_ready_ms\":%.1f,\"probes\":%d,\"probes_per_s\":%.1f,"
                            + "\"probe_latency_us_p50\":%d,\"probe_latency_us_p99\":%d,\"link_up_to_answer_ms\":%.1f",
                    nodes, upNanos / 1e6, backendReadyNanos / 1e6, results.size(),
                    steady / ((lastSteady - first) / 1e9), percentile(latencies, 50), percentile(latencies, 99),
                    firstAfterUp < 0 ? -1.0 : (firstAfterUp - upAt) / 1e6);
        } finally {
            long d0 = System.nanoTime();
            lab.close();
            downNanos = System.nanoTime() - d0;
        }
        System.out.println("{" + json + String.format(Locale.ROOT, ",\"lab_teardown_ms\":%.1f}", downNanos / 1e6));
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
