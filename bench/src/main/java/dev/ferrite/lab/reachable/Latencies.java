package dev.ferrite.lab.reachable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * p50, p99 and max of one latency over every Service (milliseconds; nearest rank), and how
 * many Services never reached the event at all: those are not in the percentiles.
 */
public record Latencies(int count, int missing, double p50, double p99, double max) {

    public static Latencies of(List<Double> millis, int expected) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int n = sorted.size();
        if (n == 0) {
            return new Latencies(0, expected, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latencies(n, expected - n, rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(n - 1));
    }

    private static double rank(List<Double> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    public String json() {
        return String.format(Locale.ROOT, "{\"count\":%d,\"missing\":%d,\"p50_ms\":%s,\"p99_ms\":%s,\"max_ms\":%s}",
                count, missing, num(p50), num(p99), num(max));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.1f", v);
    }
}
