package dev.ferrite.speaker;

/** Membership figures exported as metrics. */
public record MemberCounts(int members, long suspicions, long authFailures) {
}
