package dev.ferrite.speaker;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.Pool;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import dev.ferrite.speaker.election.Election;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures one ownership recompute (snapshot → election of every Service IP → this node's
 * share) for a cluster of the given size, and prints JSON. What a membership change or a
 * Service update costs before the announcer is told.
 */
@Command(name = "ownership", mixinStandardHelpOptions = true,
        description = "Time one ownership recompute for N Services on M nodes; prints JSON.")
public final class OwnershipBenchCommand implements Callable<Integer> {

    @Option(names = "--services", defaultValue = "1000", description = "LoadBalancer Services, one IPv4 each (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--nodes", defaultValue = "100", description = "Nodes, all live (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--rounds", defaultValue = "50", description = "Measured recomputes after warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        Map<String, NodeView> nodeViews = new HashMap<>();
        Set<String> live = new TreeSet<>();
        for (int i = 0; i < nodes; i++) {
            String name = "node-" + i;
            nodeViews.put(name, new NodeView(name, Map.of(), false, List.of()));
            live.add(name);
        }
        List<ServiceView> views = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            IpAddress ip = IpAddress.ofV4(0xC6120000L + 256 + i); // 198.18.1.0 upwards
            views.add(new ServiceView(new ServiceKey("bench", "svc-" + i), "uid-" + i, Map.of(), List.of(ip), false));
        }
        Advertisement ad = new Advertisement("all", Set.of("lab"), List.of(), List.of(), List.of());
        ClusterSnapshot snapshot = new ClusterSnapshot(views, nodeViews, Map.of(), Config.of(Map.of("lab", new Pool("lab", Map.of(),
                List.of(IpRange.ofPrefix(IpAddress.ofV4(0xC6120000L), 15)), true, false, Optional.empty())), List.of(ad)));
        int owned = 0;
        for (int i = 0; i < 10; i++) {
            owned = Election.plan(snapshot, live).ownedBy("node-0").size();
        }
        long[] micros = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            Election.plan(snapshot, live).ownedBy("node-0");
            micros[r] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("{\"benchmark\":\"ownership-recompute\",\"services\":%d,\"nodes\":%d,\"rounds\":%d,"
                        + "\"ownedByNode0\":%d,\"medianMicros\":%d,\"p90Micros\":%d,\"maxMicros\":%d}%n",
                services, nodes, rounds, owned, micros[rounds / 2], micros[(int) (rounds * 0.9)], micros[rounds - 1]);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OwnershipBenchCommand()).execute(args));
    }
}
