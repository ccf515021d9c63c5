package dev.ferrite.lab.probe;

import dev.ferrite.api.JsonString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One probe of one VIP. {@code tNanos} is {@link System#nanoTime()} of the probe process
 * when the probe started; on Linux that is CLOCK_MONOTONIC, shared by every process on the
 * machine, so it compares directly with fault times taken by the drill in another JVM.
 * One result is one JSON line: {@code {"t":..,"vip":..,"ok":true,"node":..,"mac":..,"us":..}}
 * or {@code {"t":..,"vip":..,"ok":false,"error":..,"us":..}}.
 */
public sealed interface ProbeResult {

    long tNanos();

    String vip();

    /** How long the probe took, connect to last byte (or to the failure). */
    long latencyMicros();

    /** The VIP answered {@code node=<node>}; {@code mac} is the client's neighbour entry for an IPv4 VIP right after. */
    record Answered(long tNanos, String vip, String node, Optional<String> mac, long latencyMicros) implements ProbeResult {
    }

    /** No answer: {@code error} is e.g. {@code connect timeout}, {@code refused}, {@code read timeout}. */
    record Failed(long tNanos, String vip, String error, long latencyMicros) implements ProbeResult {
    }

    default String toJson() {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"t\":").append(tNanos()).append(",\"vip\":\"").append(JsonString.escape(vip())).append('"');
        if (this instanceof Answered a) {
            sb.append(",\"ok\":true,\"node\":\"").append(JsonString.escape(a.node())).append('"');
            a.mac().ifPresent(m -> sb.append(",\"mac\":\"").append(JsonString.escape(m)).append('"'));
        } else if (this instanceof Failed f) {
            sb.append(",\"ok\":false,\"error\":\"").append(JsonString.escape(f.error())).append('"');
        }
        return sb.append(",\"us\":").append(latencyMicros()).append('}').toString();
    }

    ObjectMapper JSON = new ObjectMapper();

    /** A result from one output line; empty for anything else the process printed (JVM warnings, say). */
    static Optional<ProbeResult> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(line);
            if (!n.has("t") || !n.has("vip") || !n.has("ok")) {
                return Optional.empty();
            }
            long t = n.get("t").asLong();
            String vip = n.get("vip").asString();
            long us = n.path("us").asLong();
            if (n.get("ok").asBoolean()) {
                Optional<String> mac = n.hasNonNull("mac") ? Optional.of(n.get("mac").asString()) : Optional.empty();
                return Optional.of(new Answered(t, vip, n.path("node").asString(), mac, us));
            }
            return Optional.of(new Failed(t, vip, n.path("error").asString(), us));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** Every result in a probe's log file, in file order. */
    static List<ProbeResult> readAll(Path log) {
        try {
            List<ProbeResult> out = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                parse(line).ifPresent(out::add);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read probe log " + log, e);
        }
    }
}
