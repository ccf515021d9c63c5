package dev.ferrite.speaker.quorum;

import java.util.Optional;
import java.util.Set;

/**
 * What one speaker knows when it decides whether it may announce at all.
 *
 * @param self            this node
 * @param expected        the speakers it should see: every speaker with a witness Lease at the
 *                        last successful read of the API, plus every member it has seen in its
 *                        view since (the last agreed view, all it has while the API is unreachable)
 * @param healthy         members in its view that nobody suspects (a suspect is not counted: the
 *                        other side of a partition suspects us at the same moment)
 * @param gone            members known not to announce: they left gracefully, or their membership
 *                        port answered "unreachable" (the process is dead on a live node)
 * @param ownLeaseFresh   whether its own witness Lease was renewed within the fence time; a
 *                        speaker that cannot renew may soon be counted as expired by the others
 * @param witness         what the API server said at the last read, or that it cannot be read
 * @param expectedFromApi whether {@code expected} ever came from the API; before that, a speaker
 *                        alone in its view cannot tell a one-node cluster from being cut off
 */
public record QuorumInput(
        String self,
        Set<String> expected,
        Set<String> healthy,
        Set<String> gone,
        boolean ownLeaseFresh,
        Witness witness,
        boolean expectedFromApi) {

    public QuorumInput {
        expected = Set.copyOf(expected);
        healthy = Set.copyOf(healthy);
        gone = Set.copyOf(gone);
    }

    /** The API server as a witness. */
    public sealed interface Witness {
    }

    /** No successful read within the last few seconds. */
    public record Unreachable(String why) implements Witness {
    }

    /**
     * A recent read.
     *
     * @param expired  speakers whose Lease has not changed for the expiry time: dead, or cut off
     *                 from the API for long enough to have stopped announcing themselves
     * @param tiebreak the holder of the tiebreak Lease while it is fresh, empty when it is free
     */
    public record Read(Set<String> expired, Optional<String> tiebreak) implements Witness {
        public Read {
            expired = Set.copyOf(expired);
        }
    }
}
