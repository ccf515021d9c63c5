package dev.ferrite.speaker.membership;

/**
 * Counters of one member since start, for metrics and the benchmark.
 *
 * @param suspicionsRaised watched members this member suspected after silence
 * @param refutations      suspicion or death claims about this member that it refuted (false suspicions)
 * @param deathsDeclared   members this member moved to dead (suspects confirmed, closed ports)
 * @param stalls           times this member's own timers ran late (GC, CPU starvation) and it
 *                         discounted the silence it did not witness
 * @param connectionsLost  liveness connections to heartbeat targets their side closed without a
 *                         leave's farewell, each of which made this member probe the target at once
 */
public record MembershipStats(long messagesSent, long messagesReceived, long bytesSent, long bytesReceived,
                                                            long authFailures, long replaysDropped, long malformed,
                                                            long suspicionsRaised, long refutations, long deathsDeclared,
                                                            long stalls, long connectionsLost) {
}
