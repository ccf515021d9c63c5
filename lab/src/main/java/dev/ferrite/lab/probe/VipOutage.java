package dev.ferrite.lab.probe;

import java.time.Duration;

/** What the client saw of one VIP around one fault. */
public sealed interface VipOutage {

    String vip();

    /**
     * The VIP answered again. The outage is from the last answer before the fault to the
     * first answer after it (probe start times), so it is never shorter than one probe
     * interval even when nothing failed.
     *
     * @param failedProbes probes between the two answers that got no answer
     */
    record Recovered(String vip, long lastAnswerBeforeNanos, String nodeBefore,
                     long firstAnswerAfterNanos, String nodeAfter, int failedProbes) implements VipOutage {

        public Duration outage() {
            return Duration.ofNanos(firstAnswerAfterNanos - lastAnswerBeforeNanos);
        }

        /** Whether a different node answered after the fault (a failover happened). */
        public boolean moved() {
            return !nodeBefore.equals(nodeAfter);
        }
    }

    /** The VIP answered before the fault and never again while the probe ran. */
    record NotRecovered(String vip, long lastAnswerBeforeNanos, String nodeBefore, int failedProbes) implements VipOutage {
    }

    /** No answer before the fault: nothing to measure an outage from (the lab was not ready). */
    record NoAnswerBeforeFault(String vip) implements VipOutage {
    }
}
