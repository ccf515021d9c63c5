package dev.ferrite.lab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Percentiles of a set of outages in milliseconds, nearest-rank: p99 of ten runs is the
 * worst run, never an interpolation between two runs that did not happen.
 */
public record OutageStats(int count, long p50, long p99, long max) {

    public static final OutageStats NONE = new OutageStats(0, 0, 0, 0);

    public static OutageStats of(List<Long> outagesMillis) {
        if (outagesMillis.isEmpty()) {
            return NONE;
        }
        List<Long> sorted = new ArrayList<>(outagesMillis);
        Collections.sort(sorted);
        return new OutageStats(sorted.size(), nearestRank(sorted, 50), nearestRank(sorted, 99), sorted.get(sorted.size() - 1));
    }

    /** The smallest value with at least {@code percent}% of the values at or below it. */
    static long nearestRank(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
