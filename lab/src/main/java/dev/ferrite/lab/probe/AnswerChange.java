package dev.ferrite.lab.probe;

/** The node answering a VIP changed from {@code fromNode} to {@code toNode} at {@code tNanos}. */
public record AnswerChange(String vip, long tNanos, String fromNode, String toNode) {
}
