package dev.ferrite.lab.drill;

import dev.ferrite.lab.option.OptionName;
import java.util.Optional;

/**
 * The lab Services' {@code externalTrafficPolicy} ({@code --etp}): all {@code Cluster}, all
 * {@code Local}, or a {@code mix} (odd-numbered Services Local, so {@code drill-1} is the first
 * Local one). With Local Services the lab's last node runs no pod.
 */
public enum TrafficPolicy {
    CLUSTER, LOCAL, MIX;

    /** Whether the Service with this index (from 0) is Local. */
    public boolean isLocal(int index) {
        return this == LOCAL || (this == MIX && index % 2 == 1);
    }

    public boolean anyLocal() {
        return this != CLUSTER;
    }

    public String cliName() {
        return OptionName.of(this);
    }

    public static Optional<TrafficPolicy> byName(String name) {
        return OptionName.parse(TrafficPolicy.class, name);
    }
}
