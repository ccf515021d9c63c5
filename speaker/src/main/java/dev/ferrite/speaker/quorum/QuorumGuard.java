package dev.ferrite.speaker.quorum;

import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link QuorumRule} to what the membership and the witness say at each ownership
 * recompute, and turns the decision into the set of members the election may use: the live
 * view when this node may announce, nobody when it may not. Around the rule it keeps the one
 * piece of memory the rule needs (every member seen in the view, forgotten only when a read of
 * the API shows it has no live Lease), and one grace: while its even-split side contends for
 * the tiebreak, a node that was announcing keeps the electorate it had (for at most
 * {@code contendHoldNanos}), so winning the race costs no withdrawal and re-announcement, and
 * it gains nothing new meanwhile. The other side may do the same, so the side that wins takes
 * nothing over either until {@code contendHoldNanos} plus {@link #TAKEOVER_MARGIN_NANOS} have
 * passed since it saw the split: by then the side that lost has stopped announcing. Pure apart
 * from logging: times are passed in.
 */
public final class QuorumGuard {

    private static final Logger log = LoggerFactory.getLogger(QuorumGuard.class);

    private final String node;
    private final long contendHoldNanos;
    private final Set<String> remembered = new TreeSet<>();
    private long readsSeen = -1;
    private QuorumDecision decision;
    private Set<String> electorate = Set.of();
    private long contendingSince = Long.MIN_VALUE;
    /** When this node first saw the current even split; MIN_VALUE when it sees none. */
    private long evenSplitSince = Long.MIN_VALUE;
    private boolean takeoverWaiting;

    /**
     * How much longer than the contend hold the winning side waits before taking anything over:
     * the two sides see the split a little apart (silent detection varies by about 100 ms),
     * and the losing side withdraws at its first recompute after its hold (re-run every 50 ms
     * while {@link #contending()}).
     */
    public static final long TAKEOVER_MARGIN_NANOS = 300_000_000L;

    public QuorumGuard(String node, long contendHoldNanos) {
        this.node = node;
        this.contendHoldNanos = contendHoldNanos;
    }

    /**
     * @param live    the membership's live view (suspects included): what the election uses
     * @param healthy the live members nobody suspects
     * @param gone    members known not to announce
     * @return the members the election may use: {@code live}, an earlier electorate while
     *         contending, or nobody
     */
    public synchronized Set<String> electorate(Set<String> live, Set<String> healthy, Set<String> gone,
            LeaseWitness.State witness, long nowNanos) {
        if (witness.reads() != readsSeen && witness.expectedFromApi()) {
            // A fresh read of the API: forget members that have neither a live Lease nor a place in the view.
            readsSeen = witness.reads();
            remembered.retainAll(witness.expected());
        }
        remembered.addAll(live);
        remembered.removeAll(gone);
        remembered.remove(node);
        Set<String> expected = new TreeSet<>(witness.expected());
        expected.addAll(remembered);
        QuorumDecision next = QuorumRule.decide(new QuorumInput(node, expected, healthy, gone,
                witness.ownLeaseFresh(), witness.witness(), witness.expectedFromApi()));
        logTransition(decision, next);
        boolean wasAnnouncing = decision instanceof QuorumDecision.Announce;
        decision = next;
        boolean split = next instanceof QuorumDecision.Announce a ? a.basis() == QuorumDecision.Basis.TIEBREAK
                : ((QuorumDecision.Withhold) next).standing() == QuorumDecision.Standing.EVEN_SPLIT;
        if (!split) {
            evenSplitSince = Long.MIN_VALUE;
        } else if (evenSplitSince == Long.MIN_VALUE) {
            evenSplitSince = nowNanos;
        }
        if (next instanceof QuorumDecision.Announce a) {
            contendingSince = Long.MIN_VALUE;
            if (a.basis() == QuorumDecision.Basis.TIEBREAK
                    && nowNanos - evenSplitSince < contendHoldNanos + TAKEOVER_MARGIN_NANOS) {
                // won the tiebreak, but the other side may still hold its IPs for its contend
                // hold: keep announcing only what this node had (the electorate from before the
                // split, or none), take the rest over once that hold is surely over
                if (!takeoverWaiting) {
                    takeoverWaiting = true;
                    log.info("node {}: its side holds the tiebreak; taking over the other side's IPs in {} ms, once"
                            + " the other side has surely stopped announcing", node,
                            (contendHoldNanos + TAKEOVER_MARGIN_NANOS - (nowNanos - evenSplitSince)) / 1_000_000);
                }
                return electorate;
            }
            takeoverWaiting = false;
            electorate = Set.copyOf(live);
            return electorate;
        }
        takeoverWaiting = false;
        QuorumDecision.Withhold w = (QuorumDecision.Withhold) next;
        if (w.contend()) {
            if (contendingSince == Long.MIN_VALUE) {
                contendingSince = nowNanos;
                if (!wasAnnouncing) {
                    electorate = Set.of();
                }
            }
            if (nowNanos - contendingSince < contendHoldNanos) {
                return electorate;
            }
        } else {
            contendingSince = Long.MIN_VALUE;
        }
        electorate = Set.of();
        return electorate;
    }

    private void logTransition(QuorumDecision before, QuorumDecision after) {
        if (before != null && kind(before).equals(kind(after))) {
            return;
        }
        if (after instanceof QuorumDecision.Withhold) {
            log.warn("{}", after.reason());
        } else if (before instanceof QuorumDecision.Withhold) {
            log.info("{}; announcing resumes", after.reason());
        } else {
            log.info("{}", after.reason());
        }
    }

    private static String kind(QuorumDecision d) {
        return d instanceof QuorumDecision.Announce a ? a.basis().name() : ((QuorumDecision.Withhold) d).standing().name()
                + (((QuorumDecision.Withhold) d).contend() ? "+contend" : "");
    }

    /** The last decision, or empty before the first. */
    public synchronized java.util.Optional<QuorumDecision> decision() {
        return java.util.Optional.ofNullable(decision);
    }

    /** Whether a contend hold or a takeover wait is running: its end must be acted on at once. */
    public synchronized boolean contending() {
        return contendingSince != Long.MIN_VALUE || takeoverWaiting;
    }

    /** Whether the last decision withheld every IP. */
    public synchronized boolean withholding() {
        return decision instanceof QuorumDecision.Withhold;
    }

    /** Whether members are missing (the witness should read often and the rule be re-run on timers). */
    public synchronized boolean degraded() {
        return decision != null && decision.seen() < decision.counted();
    }

    /** Whether the last decision saw an even split. */
    public synchronized boolean evenSplit() {
        return decision != null && 2 * decision.seen() == decision.counted() && decision.seen() < decision.counted();
    }

    /** The metric's state label of the last decision. */
    public synchronized String state() {
        if (decision == null) {
            return "starting";
        }
        return kind(decision).replace("+contend", "").toLowerCase(java.util.Locale.ROOT);
    }
}
