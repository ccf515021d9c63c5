package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.Host;
import java.util.List;
import java.util.Set;

/**
 * The faults that act on the network: {@code link-down} (the owner's switch port goes down
 * and its pods leave the EndpointSlices; both back on heal) and {@code partition} (the owner's side cut off from the other nodes for
 * the plan's hold, then healed; the client reaches both sides throughout).
 */
final class NetworkFaults {
    private NetworkFaults() {
    }

    static final class LinkDown implements FaultInjector {
        @Override
        public Injected inject(Target t) {
            long at = System.nanoTime();
            t.lab().network().linkDown(t.owner());
            t.lab().cutOff(t.owner());
            return Injected.at(at, () -> {
                long healAt = System.nanoTime();
                t.lab().network().linkUp(t.owner());
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
