package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.Host;
import java.util.List;
import java.util.Map;

/**
 * One fault as an object: {@link #inject} breaks something on the node that answers for the
 * watched Service and returns an {@link Injected}, which knows how to heal it. The drill
 * measures between the two and never needs to know which fault it ran. A new fault is a new
 * implementation and one constant in {@link Fault}.
 */
public interface FaultInjector {

    /**
     * What a fault is aimed at: the lab, the node answering for {@code service}, the steady
     * owner of every Service IP before the fault, and the drill's plan.
     */
    record Target(LabSession lab, String service, Host owner, Map<String, String> ownersBefore, Drill.Plan plan) {
        public Target {
            ownersBefore = Map.copyOf(ownersBefore);
        }
    }

    /** Breaks the target; returns once the fault is in force (or, for a fault with a hold, over). */
    Injected inject(Target target) throws InterruptedException;

    /** The Service whose owner the fault hits: the first Service unless the fault needs a particular kind. */
    default String service(LabSession lab) {
        return lab.services().get(0);
    }

    /** A step the drill runs after measuring the fault: returns the monotonic time it began. */
    @FunctionalInterface
    interface Step {
        long run() throws InterruptedException;

        Step NOTHING = System::nanoTime;
    }

    /**
     * The fault in force.
     *
     * @param faultAtNanos       when it was injected (monotonic)
     * @param watchFromNanos     from when the drill waits for the lab to settle: the injection,
     *                           or the heal for a fault that heals itself (partition)
     * @param twoMacsDuringFault IPs the client saw answered by two MACs while the fault was in force
     * @param quiesce            what the drill waits for before it checks for duplicate answers
     *                           (a drained speaker answers on purpose until it exits)
     * @param heal               restores the node; returns when the restore began, which is
     *                           where the failback is measured from
     * @param healsItself        the restore began by itself before {@code quiesce} returned (an
     *                           upgrade's new speaker starts as soon as the old one exits), so the
     *                           failback is being measured already when the drill would check for
     *                           duplicate answers
     */
    record Injected(long faultAtNanos, long watchFromNanos, List<String> twoMacsDuringFault, Step quiesce, Step heal,
                    java.util.Optional<Long> reportedMillis, java.util.Optional<Host> survivor,
                    java.util.Optional<dev.ferrite.lab.report.AddressInUseCheck> addressInUse, boolean healsItself) {
        public Injected {
            twoMacsDuringFault = List.copyOf(twoMacsDuringFault);
        }

        public Injected(long faultAtNanos, long watchFromNanos, List<String> twoMacsDuringFault, Step quiesce, Step heal,
                        java.util.Optional<Long> reportedMillis, java.util.Optional<Host> survivor,
                        java.util.Optional<dev.ferrite.lab.report.AddressInUseCheck> addressInUse) {
            this(faultAtNanos, watchFromNanos, twoMacsDuringFault, quiesce, heal, reportedMillis, survivor, addressInUse,
                    false);
        }

        public Injected(long faultAtNanos, long watchFromNanos, List<String> twoMacsDuringFault, Step quiesce, Step heal,
                        java.util.Optional<Long> reportedMillis, java.util.Optional<Host> survivor) {
            this(faultAtNanos, watchFromNanos, twoMacsDuringFault, quiesce, heal, reportedMillis, survivor,
                    java.util.Optional.empty());
        }

        public Injected(long faultAtNanos, long watchFromNanos, List<String> twoMacsDuringFault, Step quiesce, Step heal) {
            this(faultAtNanos, watchFromNanos, twoMacsDuringFault, quiesce, heal, java.util.Optional.empty(), java.util.Optional.empty());
        }

        /** Injected now-ish at {@code faultAt}, healed by {@code heal}. */
        public static Injected at(long faultAtNanos, Step heal) {
            return new Injected(faultAtNanos, faultAtNanos, List.of(), Step.NOTHING, heal);
        }

        public Injected quiescedBy(Step step) {
            return new Injected(faultAtNanos, watchFromNanos, twoMacsDuringFault, step, heal, reportedMillis, survivor,
                    addressInUse, healsItself);
        }

        /** The same, restored by itself while the drill waits in {@code quiesce}. */
        public Injected healingItself() {
            return new Injected(faultAtNanos, watchFromNanos, twoMacsDuringFault, quiesce, heal, reportedMillis, survivor,
                    addressInUse, true);
        }
    }
}
