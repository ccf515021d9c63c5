package dev.ferrite.speaker.model;

/** Membership figures exported as metrics. */
public record MemberCounts(int members, long suspicions, long authFailures) {
}
