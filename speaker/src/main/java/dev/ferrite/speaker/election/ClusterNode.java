package dev.ferrite.speaker.election;

import java.util.Map;

/**
 * What the election needs to know about one Kubernetes Node: its name, its labels (for
 * advertisement node selectors and the exclude label) and whether its
 * {@code NetworkUnavailable} condition is {@code True}.
 */
public record ClusterNode(String name, Map<String, String> labels, boolean networkUnavailable) {

    public ClusterNode {
        labels = Map.copyOf(labels);
    }
}
