package dev.ferrite.speaker.ownership;

import java.time.Duration;
import java.util.Set;

/**
 * Keeps a speaker that is probably misconfigured from taking IPs. A speaker alone in its
 * membership view elects itself for every IP; that is right when the other nodes are dead,
 * and wrong when they are alive but speak with another secret: then two nodes answer for the
 * same IPs. The difference shows in the authentication failures: a speaker that is alone
 * while datagrams it cannot authenticate arrive announces nothing until none has arrived for
 * {@code quiet} (peers probe a node outside their view only every few seconds, so this is
 * long), and says why. A speaker that has just started and is still alone waits
 * {@code startupGrace} before it announces, so that the others' datagrams have had time to
 * arrive (and to fail). Pure: counters and times are passed in.
 */
public final class IsolationGuard {

    private final String node;
    private final long quietNanos;
    private final long graceNanos;
    private final long startedAt;
    private long lastFailures = -1;
    private long lastFailureAt;
    private boolean hasFailed;
    private boolean quarantined;
    private boolean rejecting;

    public IsolationGuard(String node, Duration startupGrace, Duration quiet, long startedAtNanos) {
        this.node = node;
        this.graceNanos = startupGrace.toNanos();
        this.quietNanos = quiet.toNanos();
        this.startedAt = startedAtNanos;
    }

    /**
     * The live set the election should use: {@code live} itself, or nobody while this node is
     * alone and rejecting datagrams.
     *
     * @param authFailures the membership's cumulative count of unauthenticated or replayed datagrams
     */
    public synchronized Set<String> effectiveLive(Set<String> live, long authFailures, long nowNanos) {
        if (lastFailures >= 0 && authFailures > lastFailures) {
            lastFailureAt = nowNanos;
            hasFailed = true;
        }
        lastFailures = authFailures;
        boolean alone = live.size() <= 1;
        rejecting = hasFailed && nowNanos - lastFailureAt < quietNanos;
        boolean starting = nowNanos - startedAt < graceNanos;
        quarantined = alone && (rejecting || starting);
        return quarantined ? Set.of() : live;
    }

    /** Whether the last call withheld every IP. */
    public synchronized boolean quarantined() {
        return quarantined;
    }

    /** Why nothing is announced, for /readyz and the log. */
    public synchronized String reason() {
        if (!rejecting) {
            return "node " + node + " has just started and sees no other member yet; announcing nothing for "
                    + graceNanos / 1_000_000 + " ms";
        }
        return "node " + node + " is alone in the membership while peers send datagrams it cannot authenticate"
                + " (different --membership-secret-file?); announcing nothing";
    }

    /** Whether the withholding is for datagrams it cannot authenticate (an operator must act). */
    public synchronized boolean rejecting() {
        return quarantined && rejecting;
    }
}
