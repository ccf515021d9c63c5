package dev.ferrite.lab.report;

import java.util.Optional;

/**
 * What the client saw of one Service during one fault: the outage (last answered probe
 * before the first failure to the first answered probe after the last failure; zero when
 * no probe failed), the longest time without any answered probe (unanswered: where the outage
 * counts a stretch in which some probes still got through, this counts only silence; zero
 * when no probe failed), which node answered before and after, how long until the new owner
 * answered (the move; empty when the owner did not change), and how many probes failed.
 * A speaker crash may cost no probe at all (the old node keeps serving traffic that still
 * reaches it) while the move still takes time, so both are reported.
 */
public record ServiceOutcome(
        String service,
        String ip,
        long outageMillis,
        long unansweredMillis,
        Optional<Long> moveMillis,
        Optional<String> ownerBefore,
        Optional<String> ownerAfter,
        int probes,
        int failedProbes,
        boolean restored) {

    /** "node-1→node-2", with "?" for a side where no node answered. */
    public String ownerMove() {
        return ownerBefore.orElse("?") + "→" + ownerAfter.orElse("?");
    }
}
