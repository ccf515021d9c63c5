package dev.ferrite.speaker.election;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.net.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long one speaker takes to re-elect every IP after a membership change, for a range of
 * cluster sizes. Prints one JSON object per size. Run with
 * {@code java -cp <speaker test classpath> dev.ferrite.speaker.election.ElectionBenchmark}.
 */
public final class ElectionBenchmark {

    private ElectionBenchmark() {
    }

    public static void main(String[] args) {
        int[][] sizes = {{10, 100}, {100, 1000}, {1000, 1000}, {1000, 10000}};
        for (int[] size : sizes) {
            run(size[0], size[1]);
        }
    }

    private static void run(int nodeCount, int ipCount) {
        List<ClusterNode> nodes = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new ClusterNode("node-" + i, Map.of("kubernetes.io/hostname", "node-" + i), false));
            live.add("node-" + i);
        }
        List<IpAddress> ips = new ArrayList<>();
        for (int i = 0; i < ipCount; i++) {
            ips.add(IpAddress.ofV4(0xC6120000L + i));
        }
        ClusterView view = ClusterView.of(live, nodes,
                List.of(new Advertisement("all", Set.of("lab"), List.of(), List.of(), List.of())));
        List<LoadBalancerService> services = new ArrayList<>();
        for (int i = 0; i < ipCount; i++) {
            services.add(LoadBalancerService.cluster("default/svc-" + i, Map.of(), "lab", List.of(ips.get(i))));
        }
        int rounds = Math.max(3, 2_000_000 / (nodeCount * ipCount));
        long owners = 0;
        for (int i = 0; i < rounds; i++) {
            owners += Election.electAll(view, services).size();
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            owners += Election.electAll(view, services).size();
        }
        double ms = (System.nanoTime() - start) / 1e6 / rounds;
        System.out.printf("{\"benchmark\":\"election\",\"nodes\":%d,\"ips\":%d,\"rounds\":%d,"
                + "\"msPerFullElection\":%.2f,\"usPerIp\":%.2f,\"check\":%d}%n",
                nodeCount, ipCount, rounds, ms, ms * 1000 / ipCount, owners % 10);
    }
}
