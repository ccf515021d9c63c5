package dev.ferrite.speaker.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingTest {

    @Test
    void everyMemberIsWatchedByExactlyKOthers() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            names.add("node-" + i);
        }
        Ring ring = Ring.of(names);
        Map<String, Integer> watchers = new HashMap<>();
        for (String n : names) {
            for (String s : ring.successors(n, 3)) {
                watchers.merge(s, 1, Integer::sum);
            }
        }
        names.forEach(n -> assertEquals(3, watchers.get(n), n));
    }

    @Test
    void successorsAndPredecessorsMirrorEachOther() {
        Ring ring = Ring.of(List.of("a", "b", "c", "d", "e"));
        for (String n : ring.order()) {
            for (String s : ring.successors(n, 2)) {
                assertTrue(ring.predecessors(s, 2).contains(n), n + " -> " + s);
            }
        }
    }

    @Test
    void smallClustersNeverListSelfOrRepeats() {
        Ring ring = Ring.of(List.of("a", "b"));
        assertEquals(List.of("b"), ring.successors("a", 3));
        assertEquals(List.of(), Ring.of(List.of("a")).successors("a", 3));
    }

    @Test
    void orderDoesNotDependOnInsertionOrder() {
        assertEquals(Ring.of(List.of("x", "y", "z")), Ring.of(List.of("z", "x", "y")));
    }
}
