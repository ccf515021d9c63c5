package dev.ferrite.lab.report;

import java.util.List;
import java.util.Optional;

/**
 * One injection of one fault and what every Service went through.
 *
 * @param fault            fault name as given on the command line (crash, link-down, …)
 * @param run              1-based run number
 * @param faultOwner       node the fault was aimed at (owner of the first Service)
 * @param services         per Service outcome
 * @param duplicateAnswers IPs the client saw answered by more than one MAC after the lab settled
 * @param splitBrain       IPs answered by more than one MAC while the fault was in force
 * @param settleMillis     fault to the moment every VIP answered from one node again; empty if it never did
 * @param timeline         probe samples around the fault, for the SVG
 * @param failback         after the node was restored: whether the election's owners came
 *                         back on their own, or the client kept sending to the interim owner
 *                         until its neighbour table was flushed (no re-announcement)
 * @param reportedMillis   {@code rogue} only: fault to the ForeignClaim Warning Event on the Service
 * @param addressInUse     {@code rogue} only: what became of a new Service whose first address another host used
 * @param connections      what the client's long-lived connections went through
 * @param noLocalEndpointDrops packets the nodes dropped meanwhile because a Local Service had
 *                         no ready endpoint on the node they reached
 */
public record FaultRun(
        String fault,
        int run,
        String faultOwner,
        List<ServiceOutcome> services,
        List<String> duplicateAnswers,
        List<String> splitBrain,
        Optional<Long> settleMillis,
        Timeline timeline,
        Failback failback,
        Optional<Long> reportedMillis,
        ConnectionOutcome connections,
        long noLocalEndpointDrops,
        Optional<AddressInUseCheck> addressInUse) {

    /** How ownership returned after the node was restored. */
    public enum Failback { ON_ITS_OWN, AFTER_CLIENT_FLUSH, NEVER }

    public FaultRun(String fault, int run, String faultOwner, List<ServiceOutcome> services, List<String> duplicateAnswers,
                    List<String> splitBrain, Optional<Long> settleMillis, Timeline timeline, Failback failback,
                    Optional<Long> reportedMillis, ConnectionOutcome connections, long noLocalEndpointDrops) {
        this(fault, run, faultOwner, services, duplicateAnswers, splitBrain, settleMillis, timeline, failback,
                reportedMillis, connections, noLocalEndpointDrops, Optional.empty());
    }

    /** Without long-lived connections or Local Services. */
    public FaultRun(String fault, int run, String faultOwner, List<ServiceOutcome> services, List<String> duplicateAnswers,
                    List<String> splitBrain, Optional<Long> settleMillis, Timeline timeline, Failback failback) {
        this(fault, run, faultOwner, services, duplicateAnswers, splitBrain, settleMillis, timeline, failback,
                Optional.empty(), ConnectionOutcome.NONE, 0);
    }

    /** Without long-lived connections or Local Services, with the rogue report time. */
    public FaultRun(String fault, int run, String faultOwner, List<ServiceOutcome> services, List<String> duplicateAnswers,
                    List<String> splitBrain, Optional<Long> settleMillis, Timeline timeline, Failback failback,
                    Optional<Long> reportedMillis) {
        this(fault, run, faultOwner, services, duplicateAnswers, splitBrain, settleMillis, timeline, failback,
                reportedMillis, ConnectionOutcome.NONE, 0);
    }

    public FaultRun {
        services = List.copyOf(services);
        duplicateAnswers = List.copyOf(duplicateAnswers);
        splitBrain = List.copyOf(splitBrain);
    }

    public int failedProbes() {
        return services.stream().mapToInt(ServiceOutcome::failedProbes).sum();
    }

    public boolean restored() {
        return services.stream().allMatch(ServiceOutcome::restored);
    }
}
