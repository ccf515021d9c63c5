package dev.ferrite.lab.drill;

import dev.ferrite.lab.report.ServiceOutcome;
import dev.ferrite.lab.report.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one Service's probes around a fault into what the operator cares about. Pure: the
 * fault time is given, nothing is read from a clock.
 *
 * <p>Outage: from the last answered probe before the first failure that follows the fault,
 * to the first answered probe after the last failure. A fault that fails no probe (a clean
 * drain) has no outage. Unanswered: the longest stretch with no answered probe at all (a
 * partition fails some new connections for as long as it lasts, but need not leave the
 * Service unanswered). Settle: from the fault to the first probe after which every probe
 * is answered, always by the same node. Move: from the fault to the first answer by the
 * node that answers at the end, when that is not the node that answered before.
 */
public final class ProbeAnalysis {
    private ProbeAnalysis() {
    }

    public static ServiceOutcome outcome(String service, String ip, List<ProbeSample> samples, long faultAtNanos) {
        Optional<String> before = Optional.empty();
        ProbeSample firstFailure = null;
        ProbeSample lastFailure = null;
        int probes = 0;
        int failed = 0;
        for (ProbeSample s : samples) {
            if (s.atNanos() < faultAtNanos) {
                if (s.ok()) {
                    before = s.node();
                }
                continue;
            }
            probes++;
            if (!s.ok()) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = s;
                }
                lastFailure = s;
            }
        }
        ProbeSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        boolean restored = last != null && last.ok() && last.atNanos() >= faultAtNanos;
        Optional<String> after = restored ? last.node() : Optional.empty();
        Optional<Long> move = Optional.empty();
        if (after.isPresent() && !after.equals(before)) {
            for (ProbeSample s : samples) {
                if (s.atNanos() >= faultAtNanos && s.ok() && s.node().equals(after)) {
                    move = Optional.of(millis(s.atNanos() - faultAtNanos));
                    break;
                }
            }
        }
        if (firstFailure == null) {
            return new ServiceOutcome(service, ip, 0, 0, move, before, after, probes, 0, restored);
        }
        long lastOk = faultAtNanos;
        Long firstOkAfter = null;
        for (ProbeSample s : samples) {
            if (s.ok() && s.atNanos() < firstFailure.atNanos()) {
                lastOk = s.atNanos();
            }
            if (s.ok() && s.atNanos() > lastFailure.atNanos() && firstOkAfter == null) {
                firstOkAfter = s.atNanos();
            }
        }
        long end = firstOkAfter != null ? firstOkAfter : last.atNanos();
        return new ServiceOutcome(service, ip, millis(end - lastOk), millis(longestSilence(samples, faultAtNanos)), move,
                before, after, probes, failed, restored);
    }

    /**
     * The longest stretch from the fault on between two answered probes with only failures in
     * between (from the last answer before the fault, or the fault; to the last probe when no
     * answer came back).
     */
    static long longestSilence(List<ProbeSample> samples, long faultAtNanos) {
        long lastOk = faultAtNanos;
        boolean failedSince = false;
        long longest = 0;
        long lastAt = faultAtNanos;
        for (ProbeSample s : samples) {
            if (s.atNanos() < faultAtNanos) {
                if (s.ok()) {
                    lastOk = s.atNanos();
                }
                continue;
            }
            lastAt = s.atNanos();
            if (s.ok()) {
                if (failedSince) {
                    longest = Math.max(longest, s.atNanos() - lastOk);
                }
                lastOk = s.atNanos();
                failedSince = false;
            } else {
                failedSince = true;
            }
        }
        if (failedSince) {
            longest = Math.max(longest, lastAt - lastOk);
        }
        return longest;
    }

    /** Nanoseconds from the fault until this Service answered steadily from one node; empty if it never did. */
    public static Optional<Long> settleNanos(List<ProbeSample> samples, long faultAtNanos) {
        if (samples.isEmpty() || !samples.get(samples.size() - 1).ok()) {
            return Optional.empty();
        }
        Optional<String> finalNode = samples.get(samples.size() - 1).node();
        long settledAt = faultAtNanos;
        for (int i = samples.size() - 1; i >= 0; i--) {
            ProbeSample s = samples.get(i);
            if (!s.ok() || !s.node().equals(finalNode)) {
                break;
            }
            settledAt = s.atNanos();
        }
        return Optional.of(Math.max(0, settledAt - faultAtNanos));
    }

    public static Timeline.Lane lane(String service, String ip, List<ProbeSample> samples, long faultAtNanos) {
        List<Timeline.Sample> out = new ArrayList<>(samples.size());
        for (ProbeSample s : samples) {
            out.add(new Timeline.Sample((s.atNanos() - faultAtNanos) / 1_000_000.0, s.ok(), s.node()));
        }
        return new Timeline.Lane(service, ip, out);
    }

    static long millis(long nanos) {
        return Math.round(nanos / 1_000_000.0);
    }
}
