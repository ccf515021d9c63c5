package dev.ferrite.speaker.quorum;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule that keeps one MAC per IP through partitions: a speaker announces only when its
 * side of the cluster is the one that may. Pure: one {@link QuorumInput} in, one
 * {@link QuorumDecision} out, the same for every speaker with the same inputs.
 *
 * <ol>
 * <li>Count the speakers it should see: the expected ones and every healthy member, minus
 *     those known not to announce (left gracefully, or whose port answered "unreachable": that
 *     fast path stays fast, whatever the majority), minus those the witness reports expired
 *     that it does not see either (dead, or cut off from the API for long enough to have
 *     fenced themselves, rule 3).</li>
 * <li>Sees all of them: announce. Nobody else can claim anything, even without the API.</li>
 * <li>Some are missing and its own witness Lease could not be renewed within the fence time:
 *     announce nothing. The missing ones may hold the API and count this side expired soon;
 *     the fence time is shorter than the expiry time, so this side stops first.</li>
 * <li>Sees more than half: announce (the majority side takes the IPs as before).</li>
 * <li>Sees exactly half: the tiebreak Lease decides. Held by a member it sees: announce; held by
 *     another: announce nothing; free: announce nothing and contend for it. Without the API,
 *     nothing.</li>
 * <li>Fewer than half: announce nothing.</li>
 * </ol>
 *
 * <p>A minority never announces on its own count; it announces once the witness shows the
 * missing speakers expired (rule 1), which bounds how long a crash of most nodes keeps the
 * survivors silent by the Lease expiry time.
 */
public final class QuorumRule {

    private QuorumRule() {
    }

    public static QuorumDecision decide(QuorumInput in) {
        String self = in.self();
        Set<String> counted = new TreeSet<>(in.expected());
        counted.addAll(in.healthy());
        Set<String> gone = new TreeSet<>(in.gone());
        gone.removeAll(in.healthy());
        gone.remove(self);
        counted.removeAll(gone);
        counted.add(self);
        Set<String> expired = new TreeSet<>();
        if (in.witness() instanceof QuorumInput.Read read) {
            for (String e : read.expired()) {
                if (!in.healthy().contains(e) && !e.equals(self) && counted.remove(e)) {
                    expired.add(e);
                }
            }
        }
        Set<String> seen = new TreeSet<>(in.healthy());
        seen.add(self);
        seen.retainAll(counted);
        Set<String> missing = new TreeSet<>(counted);
        missing.removeAll(seen);
        int n = counted.size();
        int k = seen.size();
        String excluded = excludedText(gone, expired);

        if (missing.isEmpty()) {
            if (n == 1 && !in.expectedFromApi()) {
                return new QuorumDecision.Withhold(QuorumDecision.Standing.MINORITY, n, k, seen, false,
                        "node " + self + " sees no other speaker and has not read the speakers' Leases yet"
                                + " (cannot tell a one-node cluster from being cut off); announcing nothing");
            }
            return new QuorumDecision.Announce(QuorumDecision.Basis.FULL_VIEW, n, k,
                    "node " + self + " sees all " + n + " speakers" + excluded);
        }
        if (!in.ownLeaseFresh()) {
            return new QuorumDecision.Withhold(QuorumDecision.Standing.FENCED, n, k, seen, false,
                    "node " + self + " cannot renew its witness Lease while it misses " + missing
                            + ": they could take its IPs over through the API; announcing nothing");
        }
        if (2 * k > n) {
            return new QuorumDecision.Announce(QuorumDecision.Basis.MAJORITY, n, k,
                    "node " + self + " sees " + k + " of " + n + " speakers, a majority (missing " + missing + ")" + excluded);
        }
        if (2 * k == n) {
            if (in.witness() instanceof QuorumInput.Unreachable u) {
                return new QuorumDecision.Withhold(QuorumDecision.Standing.EVEN_SPLIT, n, k, seen, false,
                        "node " + self + " sees " + k + " of " + n + " speakers, an even split (missing " + missing
                                + "), and the API server that breaks the tie is unreachable (" + u.why()
                                + "); announcing nothing");
            }
            Optional<String> holder = ((QuorumInput.Read) in.witness()).tiebreak();
            if (holder.isPresent() && seen.contains(holder.get())) {
                return new QuorumDecision.Announce(QuorumDecision.Basis.TIEBREAK, n, k,
                        "node " + self + " sees " + k + " of " + n + " speakers, an even split (missing " + missing
                                + "); its side holds the tiebreak Lease (" + holder.get() + ")" + excluded);
            }
            if (holder.isPresent()) {
                return new QuorumDecision.Withhold(QuorumDecision.Standing.EVEN_SPLIT, n, k, seen, false,
                        "node " + self + " sees " + k + " of " + n + " speakers, an even split (missing " + missing
                                + "); the other side holds the tiebreak Lease (" + holder.get() + "); announcing nothing");
            }
            return new QuorumDecision.Withhold(QuorumDecision.Standing.EVEN_SPLIT, n, k, seen, true,
                    "node " + self + " sees " + k + " of " + n + " speakers, an even split (missing " + missing
                            + "); contending for the tiebreak Lease; announcing nothing until it is held");
        }
        return new QuorumDecision.Withhold(QuorumDecision.Standing.MINORITY, n, k, seen, false,
                "node " + self + " sees " + k + " of " + n + " speakers, a minority (missing " + missing
                        + "); announcing nothing until it sees a majority or the API shows the missing ones expired");
    }

    private static String excludedText(Set<String> gone, Set<String> expired) {
        StringBuilder b = new StringBuilder();
        if (!gone.isEmpty()) {
            b.append("; not counted, known stopped: ").append(gone);
        }
        if (!expired.isEmpty()) {
            b.append("; not counted, Lease expired: ").append(expired);
        }
        return b.toString();
    }
}
