package dev.ferrite.lab.probe;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What one long-lived client connection reports, one JSON line each:
 * {@code {"conn":"198.18.0.200#2.1","ev":"answer","t":..,"last":..,"pod":..,"node":..}}.
 * {@code t} is the probe process's monotonic time (see {@link ProbeResult}); {@code last} the
 * time of the connection's latest answer. Kinds: {@code open} (connected), {@code answer} (the
 * first answer, and every answer from another pod or node than the one before), {@code gap}
 * (an answer that came more than {@link KeepAliveProber#GAP_MILLIS} ms after the one before;
 * {@code last} is that earlier answer), {@code beat} (every half second, so a reader can see a
 * stall that has not ended), {@code end} ({@code why}: {@code reset}, {@code closed} by the
 * server, or {@code stalled} when it gave up waiting).
 */
public record ConnectionEvent(String connection, String vip, Kind kind, long tNanos, long lastAnswerNanos,
                              Optional<String> pod, Optional<String> node, Optional<String> why) {

    public enum Kind { OPEN, ANSWER, GAP, BEAT, END }

    public String toJson() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"conn\":\"").append(connection).append("\",\"vip\":\"").append(vip)
                .append("\",\"ev\":\"").append(kind.name().toLowerCase(java.util.Locale.ROOT))
                .append("\",\"t\":").append(tNanos).append(",\"last\":").append(lastAnswerNanos);
        pod.ifPresent(p -> sb.append(",\"pod\":\"").append(p).append('"'));
        node.ifPresent(n -> sb.append(",\"node\":\"").append(n).append('"'));
        why.ifPresent(w -> sb.append(",\"why\":\"").append(w).append('"'));
        return sb.append('}').toString();
    }

    /** An event from one output line; empty for anything else (probe results, JVM warnings). */
    public static Optional<ConnectionEvent> parse(String line) {
        if (!line.startsWith("{\"conn\"")) {
            return Optional.empty();
        }
        try {
            JsonNode n = ProbeResult.JSON.readTree(line);
            Kind kind = Kind.valueOf(n.path("ev").asString().toUpperCase(java.util.Locale.ROOT));
            return Optional.of(new ConnectionEvent(n.path("conn").asString(), n.path("vip").asString(), kind,
                    n.path("t").asLong(), n.path("last").asLong(), text(n, "pod"), text(n, "node"), text(n, "why")));
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asString()) : Optional.empty();
    }
}
