package dev.ferrite.speaker.model;

/**
 * Cumulative packet counters of an announcer; {@code foreignClaims} counts, per announced IP,
 * the frames in which a host outside the cluster claimed it.
 */
public record AnnouncerCounts(
        long arpRequests,
        long ndpRequests,
        long repliesSent,
        long gratuitousSent,
        long malformedFrames,
        java.util.Map<String, Long> foreignClaims) {

    public static final AnnouncerCounts ZERO = new AnnouncerCounts(0, 0, 0, 0, 0, java.util.Map.of());

    public AnnouncerCounts {
        foreignClaims = java.util.Map.copyOf(foreignClaims);
    }
}
