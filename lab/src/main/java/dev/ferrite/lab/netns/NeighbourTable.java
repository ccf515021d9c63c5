package dev.ferrite.lab.netns;

import dev.ferrite.api.net.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads a namespace's neighbour table ({@code ip -n NS -j neigh show}); the client's table is
 * what decides which node a VIP's traffic goes to, so drills and end-to-end tests read it.
 */
public final class NeighbourTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<NeighbourEntry> entries;

    public NeighbourTable(List<NeighbourEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static NeighbourTable read(IpCommand ip, String namespace) {
        return parse(ip.neighbourJson(namespace));
    }

    /** Parses {@code ip -j neigh show} output; an empty table prints {@code []} or nothing. */
    public static NeighbourTable parse(String json) {
        if (json.isBlank()) {
            return new NeighbourTable(List.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("ip neigh printed unreadable JSON: " + json, e);
        }
        List<NeighbourEntry> entries = new ArrayList<>();
        for (JsonNode n : root) {
            Set<String> states = new HashSet<>();
            n.path("state").forEach(s -> states.add(s.asString()));
            Optional<String> mac = n.hasNonNull("lladdr") ? Optional.of(n.get("lladdr").asString()) : Optional.empty();
            entries.add(new NeighbourEntry(n.path("dst").asString(), n.path("dev").asString(), mac, states));
        }
        return new NeighbourTable(entries);
    }

    public List<NeighbourEntry> entries() {
        return entries;
    }

    public Optional<NeighbourEntry> entry(IpAddress address) {
        String text = address.toString();
        return entries.stream()
                .filter(e -> e.address().equals(text) || IpAddress.parse(e.address()).map(address::equals).orElse(false))
                .findFirst();
    }

    /** The MAC the host holds for {@code address}, if it holds one. */
    public Optional<String> macOf(IpAddress address) {
        return entry(address).flatMap(NeighbourEntry::mac);
    }
}
