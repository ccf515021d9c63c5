package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.report.ConnectionOutcome;
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
 * find the owner of the fault's Service (the node answering the client), let the fault's
 * {@link FaultInjector} inject it, watch every Service IP until the lab settles (bounded),
 * measure, heal, and measure the failback until the election's owners answer again. Every wait has a time bound; a lab that does not settle is
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
    /** Probe samples kept after the lab settled. */
    static final Duration TAIL = Duration.ofMillis(100);
    /** A stall's length plus a keep-alive beat: what a connection's verdict waits for. */
    static final Duration CONNECTION_VERDICT = Duration.ofMillis(ConnectionLog.STALL_MILLIS + 600);
    /** Long-lived connections stalled by the previous fault are given up after 10 s and reopened. */
    static final Duration CONNECTIONS_BOUND = Duration.ofSeconds(15);

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
                List<FaultRun> rows = runOne(fault, run, text -> progress.show(current, steps, label + ": " + text));
                results.addAll(rows);
                progress.show(step, steps, label + ": " + summary(rows));
            }
        }
        progress.finish();
        return results;
    }

    private static String summary(List<FaultRun> rows) {
        FaultRun r = rows.get(0);
        ServiceOutcome first = r.services().get(0);
        String text = first.ownerMove() + ", outage " + first.outageMillis() + " ms, "
                + r.failedProbes() + " failed probes, " + r.connections().broken() + "/" + r.connections().connections()
                + " connections broken" + (r.restored() ? "" : ", NOT RESTORED");
        if (rows.size() > 1) {
            FaultRun back = rows.get(1);
            text += "; failback " + back.services().get(0).outageMillis() + " ms, " + back.connections().broken() + "/"
                    + back.connections().connections() + " broken";
        }
        return text;
    }

    /**
     * One run: inject, wait (bounded) until the lab settles, measure the fault; heal, wait
     * until the election's owners answer again, measure that failback as a run of its own.
     */
    private List<FaultRun> runOne(Fault fault, int run, java.util.function.Consumer<String> status)
            throws InterruptedException {
        status.accept("waiting for a steady lab");
        lab.ensureProbe();
        Map<String, String> owners = lab.awaitSteady(SETTLED_FOR, plan.steadyBound()).orElseThrow(() ->
                new IllegalStateException("lab not steady within " + plan.steadyBound().toSeconds()
                        + " s before " + fault.cliName() + " run " + run + " (some Service IP unanswered or answered by"
                        + " two nodes); logs in " + lab.logDir()));
        if (!lab.awaitConnectionsAnswering(CONNECTIONS_BOUND)) {
            LOG.warn("{} run {}: some long-lived connections still wait for an answer after {} s; their figures may mix"
                    + " in the previous fault", fault.cliName(), run, CONNECTIONS_BOUND.toSeconds());
        }
        FaultInjector injector = fault.injector();
        String service = injector.service(lab);
        Host owner = lab.node(owners.get(lab.ipOf(service)));
        status.accept("injecting on " + owner.name());
        long dropsBefore = lab.noLocalEndpointDrops();
        FaultInjector.Injected injected = injector.inject(new FaultInjector.Target(lab, service, owner, owners, plan));

        status.accept("watching failover from " + owner.name());
        long settledAt = awaitSettled(fault.movesOwner(), owner, injected.survivor().orElse(null), injected.watchFromNanos());
        long end = Math.max(settledAt, injected.watchFromNanos()) + TAIL.toNanos();
        sleepUntil(end);
        Measured faultRow = measure(injected.faultAtNanos(), injected.watchFromNanos(), end, end + CONNECTION_VERDICT.toNanos());
        long dropsDuring = lab.noLocalEndpointDrops();
        injected.quiesce().run();
        // The check flushes the client's neighbour table: every probe then waits for the ARP
        // and NDP answers, and at 100 Services some wait past their connect timeout. A fault
        // that heals itself is inside its failback's window here, so its check waits until
        // the failback is measured.
        List<String> duplicates = injected.healsItself() ? List.of() : duplicateCheck();

        status.accept("restoring " + owner.name());
        long healAt = injected.heal().run();
        FaultRun.Failback failback = FaultRun.Failback.ON_ITS_OWN;
        if (lab.awaitOwners(owners::equals, SETTLED_FOR, FAILBACK_BOUND).isEmpty()) {
            // the client still sends to the interim owner: nobody re-announced after the node came back
            LOG.warn("{} run {}: owners not back to {} within {} s after restoring {}; flushing the client's neighbour table",
                    fault.cliName(), run, owners, FAILBACK_BOUND.toSeconds(), owner.name());
            lab.provokeArp(MAX_ARP_CHECKS);
            failback = lab.awaitOwners(owners::equals, SETTLED_FOR, plan.steadyBound()).isPresent()
                    ? FaultRun.Failback.AFTER_CLIENT_FLUSH : FaultRun.Failback.NEVER;
        }
        long backAt = System.nanoTime();
        sleepUntil(backAt + TAIL.toNanos());
        Measured failbackRow = measure(healAt, healAt, backAt + TAIL.toNanos(), backAt + TAIL.toNanos() + CONNECTION_VERDICT.toNanos());
        long dropsAfter = lab.noLocalEndpointDrops();
        List<String> duplicatesAfter = lab.awaitSteady(SETTLED_FOR, plan.steadyBound()).isPresent() ? duplicateCheck() : List.of();

        String title = fault.cliName() + " on " + owner.name() + " (run " + run + ")";
        List<FaultRun> rows = new ArrayList<>();
        List<String> faultDuplicates = fault.failsBack() && !injected.healsItself()
                ? duplicates : union(duplicates, duplicatesAfter);
        rows.add(new FaultRun(fault.cliName(), run, owner.name(), faultRow.outcomes(), faultDuplicates,
                injected.twoMacsDuringFault(), faultRow.settleMillis(), new Timeline(title, faultRow.lanes(), faultRow.broken()),
                failback, injected.reportedMillis(), faultRow.connections(), dropsDuring - dropsBefore,
                injected.addressInUse()));
        if (fault.failsBack()) {
            rows.add(new FaultRun(fault.failbackName(), run, owner.name(), failbackRow.outcomes(), duplicatesAfter, List.of(),
                    failbackRow.settleMillis(), new Timeline(fault.failbackName() + " to " + owner.name() + " (run " + run + ")",
                    failbackRow.lanes(), failbackRow.broken()), failback, Optional.empty(), failbackRow.connections(),
                    dropsAfter - dropsDuring));
        }
        return rows;
    }

    /** What the probes saw of every Service between {@code fromNanos} (the fault or the heal) and {@code endNanos}. */
    private record Measured(List<ServiceOutcome> outcomes, List<Timeline.Lane> lanes, Optional<Long> settleMillis,
                            ConnectionOutcome connections, List<Double> broken) {
    }

    /**
     * Probes are measured up to {@code endNanos}; connections up to {@code connectionsEndNanos},
     * later by {@link #CONNECTION_VERDICT}, so that a connection that stopped answering just
     * before the end has had the time to count as stalled (or to answer again).
     */
    private Measured measure(long fromNanos, long watchFromNanos, long endNanos, long connectionsEndNanos)
            throws InterruptedException {
        List<ServiceOutcome> outcomes = new ArrayList<>();
        List<Timeline.Lane> lanes = new ArrayList<>();
        Optional<Long> settle = Optional.of(0L);
        for (String service : lab.services()) {
            String ip = lab.ipOf(service);
            List<ProbeSample> samples = lab.probeLog().window(ip, fromNanos - BEFORE.toNanos(), endNanos);
            outcomes.add(ProbeAnalysis.outcome(service, ip, samples, fromNanos));
            Optional<Long> s = ProbeAnalysis.settleNanos(samples, watchFromNanos);
            settle = settle.isPresent() && s.isPresent() ? Optional.of(Math.max(settle.get(), s.get())) : Optional.empty();
            if (lanes.size() < MAX_LANES) {
                lanes.add(ProbeAnalysis.lane(service, ip, samples, fromNanos));
            }
        }
        Set<String> ips = Set.copyOf(lab.serviceIps().values());
        sleepUntil(connectionsEndNanos);
        ConnectionOutcome connections = lab.connectionLog().outcome(ips, fromNanos, connectionsEndNanos);
        List<Double> broken = lab.connectionLog().endsWithin(ips, fromNanos - BEFORE.toNanos(), endNanos).stream()
                .map(t -> (t[0] - fromNanos) / 1e6).toList();
        return new Measured(outcomes, lanes, settle.map(n -> Math.round(n / 1e6)), connections, broken);
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

    private static List<String> union(List<String> a, List<String> b) {
        return List.copyOf(new TreeSet<>(concat(a, b)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        Thread.sleep(Math.max(0, (nanos - System.nanoTime()) / 1_000_000));
    }

    /**
     * Waits (bounded by the plan) until every IP was answered by one node for
     * {@link #SETTLED_FOR}, and, for faults that must move ownership, by a node other than
     * the one hit. Returns when that was seen, the end of that steady stretch (or the bound),
     * so that the measured window holds the answers that made it steady: ending it at the
     * stretch's start cut off, at 100 Services (a probe every 100 ms per IP), the first answer
     * after an outage, and the Service counted as not restored.
     */
    private long awaitSettled(boolean movesOwner, Host hit, Host survivor, long referenceAt) throws InterruptedException {
        long deadline = referenceAt + plan.observe().toNanos();
        Set<String> ips = new HashSet<>(lab.serviceIps().values());
        for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
            long now = System.nanoTime();
            long from = Math.max(referenceAt, now - SETTLED_FOR.toNanos());
            if (now - from >= SETTLED_FOR.toNanos()) {
                Optional<Map<String, String>> owners = lab.probeLog().steadyOwners(ips, from, now, 3);
                boolean moved = survivor == null ? owners.isPresent() && !owners.get().containsValue(hit.name())
                        : owners.isPresent() && owners.get().values().stream().allMatch(survivor.name()::equals);
                if (owners.isPresent() && (!movesOwner || moved)) {
                    return now;
                }
            }
            Thread.sleep(25);
        }
        return System.nanoTime();
    }

    /** Makes the client re-resolve the VIPs and reports any claimed by two MACs meanwhile. */
    private List<String> duplicateCheck() throws InterruptedException {
        long from = System.nanoTime();
        lab.provokeArp(MAX_ARP_CHECKS);
        Thread.sleep(200);
        return DuplicateAnswers.within(lab.arpWatch().answers(), Set.copyOf(lab.serviceIps().values()), from, System.nanoTime());
    }
}
