package dev.ferrite.speaker.quorum;

import java.util.Set;

/** Whether a speaker may announce, and why; {@link QuorumRule} makes it. */
public sealed interface QuorumDecision {

    /** Why, for readiness, the log and the metric. */
    String reason();

    /** How many speakers were counted and how many of them this one sees. */
    int counted();

    int seen();

    /** May announce. */
    record Announce(Basis basis, int counted, int seen, String reason) implements QuorumDecision {
    }

    /**
     * Must not announce anything. {@code contend} asks the glue to try to take the tiebreak
     * Lease for {@code side}: the view is an even split and the tiebreak is free.
     */
    record Withhold(Standing standing, int counted, int seen, Set<String> side, boolean contend, String reason)
            implements QuorumDecision {
        public Withhold {
            side = Set.copyOf(side);
        }
    }

    /** What allowed announcing. */
    enum Basis {
        /** Sees every speaker it should: nobody else can claim anything. */
        FULL_VIEW,
        /** Sees more than half of the speakers counted. */
        MAJORITY,
        /** Even split, and its side holds the tiebreak Lease. */
        TIEBREAK
    }

    /** Why not. */
    enum Standing {
        /** Sees fewer than half. */
        MINORITY,
        /** Even split; the tiebreak is the other side's, free, or unreadable. */
        EVEN_SPLIT,
        /** Cannot renew its own Lease while members are missing: they may take over. */
        FENCED
    }
}
