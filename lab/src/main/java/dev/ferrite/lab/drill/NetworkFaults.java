package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.Host;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults that act on the network: {@code link-down} (the owner's switch port goes down
 * and its pods leave the EndpointSlices; both back on heal) and {@code partition} (the owner's side cut off from the other nodes for
 * the plan's hold, then healed; the client reaches both sides throughout).
 */
final class NetworkFaults {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkFaults.class);

    private NetworkFaults() {
    }

    static final class LinkDown implements FaultInjector {
        /** Longer than the kernel's neighbour retry (1 s): the wait ends by itself if no speaker asks. */
        private static final Duration NEIGHBOURS_WAIT = Duration.ofSeconds(3);

        @Override
        public Injected inject(Target t) {
            long at = System.nanoTime();
            t.lab().network().linkDown(t.owner());
            t.lab().cutOff(t.owner());
            return Injected.at(at, () -> {
                long healAt = System.nanoTime();
                t.lab().network().linkUp(t.owner());
                // The node's pods are endpoints again once it is back on the network, as its
                // peers see it: a cluster takes seconds (the kubelet reports them Ready through
                // the API), and until the nodes have resolved each other every packet to the
                // pods queues in their kernels.
                if (!t.lab().network().awaitNeighboursResolved(t.owner(), NEIGHBOURS_WAIT)) {
                    LOG.warn("{} and the other nodes had not resolved each other {} ms after its link came up",
                            t.owner().name(), NEIGHBOURS_WAIT.toMillis());
                }
                t.lab().reconnected(t.owner());
                return healAt;
            });
        }
    }

    /**
     * Heals itself after the hold, so the drill watches from the heal. Halfway through, the
     * client is made to ask who holds each VIP, so that both sides' answers are on the wire;
     * IPs claimed by two MACs at once while split are reported ({@link DuplicateAnswers#atOnce}).
     */
    static final class Split implements FaultInjector {
        @Override
        public Injected inject(Target t) throws InterruptedException {
            LabSession lab = t.lab();
            long at = System.nanoTime();
            List<Host> nodes = lab.topology().nodes();
            List<String> twoMacs;
            try (Partition p = Partition.split(lab.network().ip(), nodes, Drill.ownerSide(nodes, t.owner()))) {
                Thread.sleep(t.plan().partitionHold().toMillis() / 2);
                lab.provokeArp(Drill.MAX_ARP_CHECKS);
                Thread.sleep(t.plan().partitionHold().toMillis() / 2);
                // the owner's side may lose the tiebreak: a handover inside the split is not two owners
                twoMacs = DuplicateAnswers.atOnce(lab.arpWatch().answers(), Set.copyOf(lab.serviceIps().values()),
                        at, System.nanoTime());
            }
            long healedAt = System.nanoTime();
            return new Injected(at, healedAt, twoMacs, Step.NOTHING, Step.NOTHING);
        }
    }
}
