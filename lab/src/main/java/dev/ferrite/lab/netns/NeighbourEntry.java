package dev.ferrite.lab.netns;

import java.util.Optional;
import java.util.Set;

/**
 * One row of a host's neighbour table: which MAC the kernel holds for an address.
 *
 * @param address the IP address as {@code ip} prints it
 * @param mac     absent while the kernel is still asking (INCOMPLETE) or has given up (FAILED)
 * @param states  NUD states, e.g. {@code REACHABLE}, {@code STALE}, {@code PERMANENT}
 */
public record NeighbourEntry(String address, String device, Optional<String> mac, Set<String> states) {

    public NeighbourEntry {
        states = Set.copyOf(states);
    }
}
