package dev.ferrite.speaker.model;

import java.util.Map;
import java.util.Optional;

/** A Node as the election and peer discovery see it. */
public record NodeView(
        String name,
        Map<String, String> labels,
        boolean networkUnavailable,
        Optional<String> internalIp) {

    public NodeView {
        labels = Map.copyOf(labels);
    }
}
