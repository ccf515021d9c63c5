package dev.ferrite.speaker.membership;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitoring ring: live members ordered by a hash of their node name. Each member
 * heartbeats its k successors and watches its k predecessors, so every member sends and
 * receives about k heartbeats per interval whatever the cluster size. Hashing (rather than
 * sorting names) spreads nodes with similar names, e.g. node-1..node-9, around the ring.
 */
record Ring(List<String> order) {

    static Ring of(Collection<String> names) {
        Map<String, Long> positions = new HashMap<>();
        names.forEach(n -> positions.put(n, position(n)));
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.<String>comparingLong(positions::get).thenComparing(Comparator.naturalOrder()));
        return new Ring(List.copyOf(sorted));
    }

    /** Up to k members after {@code name}, never {@code name} itself. */
    List<String> successors(String name, int k) {
        return walk(name, k, 1);
    }

    /** Up to k members before {@code name}, never {@code name} itself. */
    List<String> predecessors(String name, int k) {
        return walk(name, k, -1);
    }

    private List<String> walk(String name, int k, int step) {
        int at = order.indexOf(name);
        int n = order.size();
        List<String> out = new ArrayList<>();
        if (at < 0) {
            return List.of();
        }
        for (int i = 1; i <= Math.min(k, n - 1); i++) {
            out.add(order.get(Math.floorMod(at + step * i, n)));
        }
        return List.copyOf(out);
    }

    static long position(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
