package dev.ferrite.speaker.membership;

/**
 * Anti-replay state for one sender: every datagram carries the sender's boot epoch (fixed
 * for the life of its process, larger after a restart) and a sequence number that grows by
 * one per datagram. A datagram is fresh if it comes from a newer epoch, or from the current
 * epoch with a sequence number not seen yet and not older than the 64-datagram window
 * (the window tolerates reordering on the wire). Anything else is a replay.
 */
final class ReplayWindow {
    private static final int WIDTH = 64;

    private long epoch = Long.MIN_VALUE;
    private long highest = -1;
    /** Bit i set: sequence (highest - i) was seen. */
    private long seen;

    /** Records the datagram and returns true when it is fresh; false for a replay. */
    boolean accept(long datagramEpoch, long seq) {
        if (datagramEpoch > epoch) {
            epoch = datagramEpoch;
            highest = seq;
            seen = 1L;
            return true;
        }
        if (datagramEpoch < epoch) {
            return false;
        }
        if (seq > highest) {
            long shift = seq - highest;
            seen = shift >= WIDTH ? 1L : (seen << shift) | 1L;
            highest = seq;
            return true;
        }
        long age = highest - seq;
        if (age >= WIDTH) {
            return false;
        }
        long bit = 1L << age;
        if ((seen & bit) != 0) {
            return false;
        }
        seen |= bit;
        return true;
    }
}
