package dev.ferrite.lab.report;

import java.util.List;
import java.util.Optional;

/**
 * Probe samples of every Service around one fault, with times relative to the injection
 * (negative before, positive after), so timelines of different runs line up; and when
 * long-lived connections ended (reset, closed, given up), drawn as marks.
 */
public record Timeline(String title, List<Lane> lanes, List<Double> brokenConnectionsMillis) {

    public Timeline {
        lanes = List.copyOf(lanes);
        brokenConnectionsMillis = List.copyOf(brokenConnectionsMillis);
    }

    /** Without marks for broken long-lived connections. */
    public Timeline(String title, List<Lane> lanes) {
        this(title, lanes, List.of());
    }

    /** One Service: its probes in time order. */
    public record Lane(String service, String ip, List<Sample> samples) {
        public Lane {
            samples = List.copyOf(samples);
        }
    }

    /** One probe: when (ms from the fault), whether it was answered, and by which node. */
    public record Sample(double offsetMillis, boolean ok, Optional<String> node) {
    }
}
