package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code rogue} fault: the control-plane host takes the first Service's IP on its own
 * interface for the plan's hold, so its kernel answers ARP for it; the owner must report the
 * foreign claim (a ForeignClaim Warning Event on the Service) and keep the IP. Heals itself.
 */
final class RogueClaim implements FaultInjector {
    static final Duration REPORT_BOUND = Duration.ofSeconds(10);

    @Override
    public Injected inject(Target t) throws InterruptedException {
        LabSession lab = t.lab();
        Host rogue = lab.topology().controlPlane();
        String ip = lab.ipOf(t.service());
        long before = foreignClaimEvents(lab, t.service());
        long at = System.nanoTime();
        Optional<Long> reported = Optional.empty();
        Command.of(lab.network().ip().path(), "-n", rogue.namespace(), "addr", "add", ip + "/32", "dev", Topology.UPLINK).runOrThrow();
        try {
            long deadline = at + REPORT_BOUND.toNanos();
            while (System.nanoTime() < deadline) {
                if (foreignClaimEvents(lab, t.service()) > before) {
                    reported = Optional.of(Math.round((System.nanoTime() - at) / 1e6));
                    break;
                }
                Thread.sleep(20);
            }
            Thread.sleep(t.plan().partitionHold().toMillis());
        } finally {
            Command.of(lab.network().ip().path(), "-n", rogue.namespace(), "addr", "del", ip + "/32", "dev", Topology.UPLINK).run();
        }
        long healed = System.nanoTime();
        return new Injected(at, healed, List.of(), Step.NOTHING, Step.NOTHING, reported, Optional.empty());
    }

    /** Warning Events with reason ForeignClaim on {@code service}. */
    private static long foreignClaimEvents(LabSession lab, String service) {
        try {
            return lab.client().v1().events().inAnyNamespace().list().getItems().stream()
                    .filter(e -> "ForeignClaim".equals(e.getReason()) && e.getInvolvedObject() != null
                            && service.equals(e.getInvolvedObject().getName()))
                    .count();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
