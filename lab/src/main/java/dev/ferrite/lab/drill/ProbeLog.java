package dev.ferrite.lab.drill;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every probe result the client streamed, per Service IP, oldest first. Bounded: each IP
 * keeps its newest {@code capacity} samples, so a lab left running cannot grow without end.
 * Times are the probe's monotonic nanoseconds, the same clock as {@link System#nanoTime()}
 * in the drill (both JVMs read CLOCK_MONOTONIC).
 */
public final class ProbeLog {
    /**
     * Longer than any probe takes from send to result: its timeouts add up to 150 ms, and on
     * an overloaded client results were seen up to about 1.1 s after the send.
     */
    static final long LATE_ARRIVAL_NANOS = 2_000_000_000L;

    private final int capacity;
    private final Map<String, ArrayDeque<ProbeSample>> byIp = new HashMap<>();

    public ProbeLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(ProbeSample s) {
        ArrayDeque<ProbeSample> q = byIp.computeIfAbsent(s.ip(), ip -> new ArrayDeque<>());
        q.addLast(s);
        while (q.size() > capacity) {
            q.removeFirst();
        }
    }

    /**
     * Samples of {@code ip} sent in [from, to], in the order they were sent. They arrive in
     * the order they finished: a probe that hung until its timeout comes in after probes sent
     * later, and must not count as the newest answer.
     */
    public synchronized List<ProbeSample> window(String ip, long fromNanos, long toNanos) {
        List<ProbeSample> out = new ArrayList<>();
        ArrayDeque<ProbeSample> q = byIp.get(ip);
        if (q == null) {
            return out;
        }
        // newest first, stopping once past any probe still in flight when the window began:
        // steadiness checks look at the last moments only
        var it = q.descendingIterator();
        while (it.hasNext()) {
            ProbeSample s = it.next();
            if (s.atNanos() < fromNanos - LATE_ARRIVAL_NANOS) {
                break;
            }
            if (s.atNanos() >= fromNanos && s.atNanos() <= toNanos) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(ProbeSample::atNanos));
        return out;
    }

    /**
     * The node answering each IP if, during [from, to], every IP was probed at least
     * {@code minProbes} times, every probe was answered and each IP by one node only; else empty.
     */
    public synchronized Optional<Map<String, String>> steadyOwners(Collection<String> ips, long fromNanos, long toNanos, int minProbes) {
        Map<String, String> owners = new HashMap<>();
        for (String ip : ips) {
            Optional<String> owner = steadyOwner(window(ip, fromNanos, toNanos), minProbes);
            if (owner.isEmpty()) {
                return Optional.empty();
            }
            owners.put(ip, owner.get());
        }
        return Optional.of(owners);
    }

    /** The single node that answered every one of at least {@code minProbes} samples. */
    public static Optional<String> steadyOwner(List<ProbeSample> samples, int minProbes) {
        if (samples.size() < minProbes) {
            return Optional.empty();
        }
        String node = null;
        for (ProbeSample s : samples) {
            if (!s.ok() || s.node().isEmpty()) {
                return Optional.empty();
            }
            if (node == null) {
                node = s.node().get();
            } else if (!node.equals(s.node().get())) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(node);
    }
}
