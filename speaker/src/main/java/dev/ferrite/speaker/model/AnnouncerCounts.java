package dev.ferrite.speaker.model;

/** Cumulative packet counters of an announcer. */
public record AnnouncerCounts(
        long arpRequests,
        long ndpRequests,
        long repliesSent,
        long gratuitousSent,
        long malformedFrames,
        long foreignClaims) {

    public static final AnnouncerCounts ZERO = new AnnouncerCounts(0, 0, 0, 0, 0, 0);
}
