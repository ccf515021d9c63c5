package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.report.FaultRun;
import dev.ferrite.lab.report.ProgressLine;
import dev.ferrite.lab.report.ServiceOutcome;
import dev.ferrite.lab.report.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the failover drill on a lab whose Services are deployed: for each run and each fault,
 * find the owner of the first Service (the node answering the client), inject the fault,
 * watch every Service IP until the lab settles (bounded), measure, restore the node and wait
 * until the lab is steady again. Every wait has a time bound; a lab that does not settle is
 * recorded (not restored) rather than waited on forever.
 */
public final class Drill {
    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);

    /** Probe samples kept before the fault, for the timeline and the owner before. */
    static final Duration BEFORE = Duration.ofMillis(300);
    /** The lab is settled when every IP was answered by one node for this long. */
    static final Duration SETTLED_FOR = Duration.ofMillis(400);
    /**
     * Before the first fault every Service must have answered steadily this long: the lab's
     * JVMs (client, backends, speakers) have just started, and a fault injected while they
     * still compile their hot paths measures the lab's warm-up, not the failover.
     */
    static final Duration WARM_UP = Duration.ofSeconds(3);
    /** Lanes drawn per timeline: beyond this the SVG stops being readable. */
    static final int MAX_LANES = 12;
    /** VIPs the client re-resolves when checking for duplicate answers. */
    static final int MAX_ARP_CHECKS = 20;
    /** How long a restored node gets to win its IPs back before the drill helps the client. */
    static final Duration FAILBACK_BOUND = Duration.ofSeconds(5);
    /** How long the drill waits for a speaker to report a rogue host's claim. */
    static final Duration ROGUE_REPORT_BOUND = Duration.ofSeconds(10);

    /**
     * @param observe        longest wait for the lab to settle after a fault
     * @param steadyBound    longest wait for the lab to be steady before a fault and after a restore
     * @param partitionHold  how long a partition lasts before it heals
     */
    public record Plan(List<Fault> faults, int runs, Duration observe, Duration steadyBound, Duration partitionHold) {
        public Plan {
            faults = List.copyOf(faults);
        }

        public static Plan of(List<Fault> faults, int runs) {
            return new Plan(faults, runs, Duration.ofSeconds(10), Duration.ofSeconds(45), Duration.ofSeconds(2));
        }
    }

    private final LabSession lab;
    private final Plan plan;
    private final ProgressLine progress;

    public Drill(LabSession lab, Plan plan, ProgressLine progress) {
        this.lab = lab;
        this.plan = plan;
        this.progress = progress;
    }

    public List<FaultRun> run() throws InterruptedException {
        List<FaultRun> results = new ArrayList<>();
        int steps = plan.runs() * plan.faults().size();
        int step = 0;
        progress.show(0, steps, "warming up: every Service answered steadily for " + WARM_UP.toSeconds() + " s");
        lab.ensureProbe();
        if (lab.awaitSteady(WARM_UP, plan.steadyBound()).isEmpty()) {
            LOG.warn("lab not steady for {} s within {} s; starting the drill anyway", WARM_UP.toSeconds(),
                    plan.steadyBound().toSeconds());
        }
        for (int run = 1; run <= plan.runs(); run++) {
            for (Fault fault : plan.faults()) {
                step++;
                String label = fault.cliName() + " run " + run + "/" + plan.runs();
                int current = step;
                FaultRun r = runOne(fault, run, text -> progress.show(current, steps, label + ": " + text));
                results.add(r);
                progress.show(step, steps, label + ": " + summary(r));
            }
        }
        progress.finish();
        return results;
    }

    private static String summary(FaultRun r) {
        ServiceOutcome first = r.services().get(0);
        return first.ownerMove() + ", outage " + first.outageMillis() + " ms, "
                + r.failedProbes() + " failed probes" + (r.restored() ? "" : ", NOT RESTORED");
    }

    private FaultRun runOne(Fault fault, int run, java.util.function.Consumer<String> status)
            throws InterruptedException {
        status.accept("waiting for a steady lab");
        lab.ensureProbe();
        Map<String, String> owners = lab.awaitSteady(SETTLED_FOR, plan.steadyBound()).orElseThrow(() ->
                new IllegalStateException("lab not steady within " + plan.steadyBound().toSeconds()
                        + " s before " + fault.cliName() + " run " + run + " (some Service IP unanswered or answered by"
                        + " two nodes); logs in " + lab.logDir()));
        String firstIp = lab.ipOf(lab.services().get(0));
        Host owner = lab.node(owners.get(firstIp));
        status.accept("injecting on " + owner.name());

        long faultAt;
        long referenceAt;
        List<String> splitBrain = List.of();
        Host survivor = null;
        Optional<Long> reported = Optional.empty();
        switch (fault) {
            case ROGUE -> {
                Host rogue = lab.topology().controlPlane();
                String service = lab.services().get(0);
                long eventsBefore = foreignClaimEvents(service);
                faultAt = System.nanoTime();
                Command.of(lab.network().ip().path(), "-n", rogue.namespace(), "addr", "add", firstIp + "/32", "dev",
                        Topology.UPLINK).runOrThrow();
                try {
                    long deadline = faultAt + ROGUE_REPORT_BOUND.toNanos();
                    while (System.nanoTime() < deadline) {
                        if (foreignClaimEvents(service) > eventsBefore) {
                            reported = Optional.of(Math.round((System.nanoTime() - faultAt) / 1e6));
                            break;
                        }
                        Thread.sleep(20);
                    }
                    Thread.sleep(plan.partitionHold().toMillis());
                } finally {
                    Command.of(lab.network().ip().path(), "-n", rogue.namespace(), "addr", "del", firstIp + "/32",
                            "dev", Topology.UPLINK).run();
                }
                LOG.info("rogue run {}: the claim of {} by {} was {}", run, firstIp, rogue.name(),
                        reported.map(ms -> "reported after " + ms + " ms").orElse("NOT reported within "
                                + ROGUE_REPORT_BOUND.toSeconds() + " s"));
            }
            case CRASH -> {
                faultAt = System.nanoTime();
                lab.speaker(owner.name()).kill();
            }
            case LINK_DOWN -> {
                faultAt = System.nanoTime();
                lab.network().linkDown(owner);
            }
            case DRAIN -> {
                faultAt = System.nanoTime();
                lab.speaker(owner.name()).terminate();
            }
            case API_DOWN -> {
                lab.apiServer().ifPresent(a -> a.pause());
                Thread.sleep(100);
                faultAt = System.nanoTime();
                lab.speaker(owner.name()).kill();
            }
            case MAJORITY_CRASH -> {
                survivor = survivorFor(owner);
                faultAt = System.nanoTime();
                for (Host n : lab.topology().nodes()) {
                    if (!n.equals(survivor)) {
                        lab.speaker(n.name()).kill();
                    }
                }
            }
            case PARTITION -> {
                faultAt = System.nanoTime();
                List<Host> nodes = lab.topology().nodes();
                try (Partition p = Partition.split(lab.network().ip(), nodes, ownerSide(nodes, owner))) {
                    Thread.sleep(plan.partitionHold().toMillis() / 2);
                    // both sides now own the VIPs: make the client ask, so both answers are on the wire
                    lab.provokeArp(MAX_ARP_CHECKS);
                    Thread.sleep(plan.partitionHold().toMillis() / 2);
                    splitBrain = DuplicateAnswers.within(lab.arpWatch().answers(), Set.copyOf(lab.serviceIps().values()),
                            faultAt, System.nanoTime());
                }
            }
            default -> throw new IllegalStateException("unknown fault " + fault);
        }
        referenceAt = fault == Fault.PARTITION ? System.nanoTime() : faultAt;
        status.accept("watching failover from " + owner.name());
        long settledAt = awaitSettled(fault, owner, survivor, referenceAt);
        long end = Math.max(settledAt, referenceAt) + 100_000_000L;
        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));

        List<ServiceOutcome> outcomes = new ArrayList<>();
        List<Timeline.Lane> lanes = new ArrayList<>();
        Optional<Long> settle = Optional.of(0L);
        for (String service : lab.services()) {
            String ip = lab.ipOf(service);
            List<ProbeSample> samples = lab.probeLog().window(ip, faultAt - BEFORE.toNanos(), end);
            outcomes.add(ProbeAnalysis.outcome(service, ip, samples, faultAt));
            Optional<Long> s = ProbeAnalysis.settleNanos(samples, referenceAt);
            settle = settle.isPresent() && s.isPresent() ? Optional.of(Math.max(settle.get(), s.get())) : Optional.empty();
            if (lanes.size() < MAX_LANES) {
                lanes.add(ProbeAnalysis.lane(service, ip, samples, faultAt));
            }
        }
        if (fault == Fault.DRAIN) {
            // A drained speaker answers until its successors have announced, on purpose: both
            // MACs lead to a node that takes the traffic. Its exit ends that overlap.
            awaitExit(owner);
        }
        Set<String> duplicates = new TreeSet<>(duplicateCheck());

        status.accept("restoring " + owner.name());
        restore(fault, owner, survivor);
        FaultRun.Failback failback = FaultRun.Failback.ON_ITS_OWN;
        if (!lab.awaitOwners(owners, SETTLED_FOR, FAILBACK_BOUND)) {
            // the client still sends to the interim owner: nobody re-announced after the node came back
            LOG.warn("{} run {}: owners not back to {} within {} s after restoring {}; flushing the client's neighbour table",
                    fault.cliName(), run, owners, FAILBACK_BOUND.toSeconds(), owner.name());
            lab.provokeArp(MAX_ARP_CHECKS);
            failback = lab.awaitOwners(owners, SETTLED_FOR, plan.steadyBound())
                    ? FaultRun.Failback.AFTER_CLIENT_FLUSH : FaultRun.Failback.NEVER;
        }
        if (lab.awaitSteady(SETTLED_FOR, plan.steadyBound()).isPresent()) {
            duplicates.addAll(duplicateCheck());
        }
        String title = fault.cliName() + " on " + owner.name() + " (run " + run + ")";
        return new FaultRun(fault.cliName(), run, owner.name(), outcomes, List.copyOf(duplicates), splitBrain,
                settle.map(n -> Math.round(n / 1e6)), new Timeline(title, lanes), failback, reported);
    }

    /**
     * Waits (bounded by the plan) until every IP was answered by one node for
     * {@link #SETTLED_FOR}, and, for faults that must move ownership, by a node other than
     * the one hit. Returns when that was first true, or the bound.
     */
    private long awaitSettled(Fault fault, Host hit, Host survivor, long referenceAt) throws InterruptedException {
        long deadline = referenceAt + plan.observe().toNanos();
        Set<String> ips = new HashSet<>(lab.serviceIps().values());
        for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
            long now = System.nanoTime();
            long from = Math.max(referenceAt, now - SETTLED_FOR.toNanos());
            if (now - from >= SETTLED_FOR.toNanos()) {
                Optional<Map<String, String>> owners = lab.probeLog().steadyOwners(ips, from, now, 3);
                boolean moved = survivor == null ? owners.isPresent() && !owners.get().containsValue(hit.name())
                        : owners.isPresent() && owners.get().values().stream().allMatch(survivor.name()::equals);
                if (owners.isPresent() && (!fault.movesOwner() || moved)) {
                    return from;
                }
            }
            Thread.sleep(25);
        }
        return System.nanoTime();
    }

    /** Warning Events with reason ForeignClaim on {@code service} (in the drill's namespace). */
    private long foreignClaimEvents(String service) {
        try {
            return lab.client().v1().events().inAnyNamespace().list().getItems().stream()
                    .filter(e -> "ForeignClaim".equals(e.getReason()) && e.getInvolvedObject() != null
                            && service.equals(e.getInvolvedObject().getName()))
                    .count();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The node a majority crash spares: the first node that is not the owner. */
    private Host survivorFor(Host owner) {
        return lab.topology().nodes().stream().filter(n -> !n.equals(owner)).findFirst()
                .orElseThrow(() -> new IllegalStateException("majority-crash needs at least 2 nodes"));
    }

    /**
     * The owner's side of a partition: the owner and the next nodes up to half of them, rounded
     * down, so an odd count leaves the owner in the minority and an even count splits evenly.
     */
    static List<Host> ownerSide(List<Host> nodes, Host owner) {
        List<Host> side = new ArrayList<>();
        side.add(owner);
        for (Host n : nodes) {
            if (side.size() >= Math.max(1, nodes.size() / 2)) {
                break;
            }
            if (!n.equals(owner)) {
                side.add(n);
            }
        }
        return side;
    }

    /** Makes the client re-resolve the VIPs and reports any claimed by two MACs meanwhile. */
    private List<String> duplicateCheck() throws InterruptedException {
        long from = System.nanoTime();
        lab.provokeArp(MAX_ARP_CHECKS);
        Thread.sleep(200);
        return DuplicateAnswers.within(lab.arpWatch().answers(), Set.copyOf(lab.serviceIps().values()), from, System.nanoTime());
    }

    /** Waits (bounded) until the SIGTERMed speaker on {@code owner} has exited; kills it past the bound. */
    private void awaitExit(Host owner) {
        if (lab.speaker(owner.name()).waitFor(Duration.ofSeconds(10)).isEmpty()) {
            LOG.warn("speaker on {} still running 10 s after SIGTERM, killing it", owner.name());
            lab.speaker(owner.name()).kill();
            lab.speaker(owner.name()).waitFor(Duration.ofSeconds(5));
        }
    }

    private void restore(Fault fault, Host owner, Host survivor) throws InterruptedException {
        switch (fault) {
            case CRASH -> lab.startSpeaker(owner);
            case MAJORITY_CRASH -> {
                for (Host n : lab.topology().nodes()) {
                    if (!n.equals(survivor)) {
                        lab.startSpeaker(n);
                    }
                }
            }
            case LINK_DOWN -> lab.network().linkUp(owner);
            case DRAIN -> {
                awaitExit(owner);
                lab.startSpeaker(owner);
            }
            case API_DOWN -> {
                lab.apiServer().ifPresent(a -> a.resume());
                lab.startSpeaker(owner);
            }
            case PARTITION, ROGUE -> {
                // healed when the partition closed, the rogue address was removed
            }
            default -> throw new IllegalStateException("unknown fault " + fault);
        }
    }
}
