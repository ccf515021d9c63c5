package dev.ferrite.lab.report;

import java.util.Optional;

/**
 * What the client saw of one Service during one fault: the outage (last answered probe
 * before the first failure to the first answered probe after the last failure; zero when
 * no probe failed), which node answered before and after, and how many probes failed.
 */
public record ServiceOutcome(
        String service,
        String ip,
        long outageMillis,
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
