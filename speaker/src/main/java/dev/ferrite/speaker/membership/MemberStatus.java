package dev.ferrite.speaker.membership;

/**
 * What the cluster believes about one speaker. The order is the precedence used when two
 * claims carry the same incarnation: a later state wins over an earlier one, so a suspicion
 * beats an old "alive" and a death beats a suspicion, until the member itself refutes with
 * a higher incarnation.
 */
public enum MemberStatus {
    ALIVE,
    SUSPECT,
    DEAD,
    LEFT;

    /** Precedence at equal incarnation; DEAD and LEFT are equally final. */
    int rank() {
        return this == LEFT ? DEAD.ordinal() : ordinal();
    }

    /** Whether a member in this state belongs to the live view (a suspect still does). */
    public boolean inView() {
        return this == ALIVE || this == SUSPECT;
    }
}
