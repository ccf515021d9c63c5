package dev.ferrite.lab.drill;

import java.util.Optional;

/**
 * One probe of one Service IP by the client: when it was sent (monotonic nanoseconds),
 * whether a TCP connect and GET got an answer, and the node named in the answer.
 */
public record ProbeSample(String ip, long atNanos, boolean ok, Optional<String> node) {
}
