package dev.ferrite.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.api.net.IpAddress;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NeighbourTableTest {

    private static final String JSON = "[{\"dst\":\"198.18.0.200\",\"dev\":\"eth0\",\"lladdr\":\"02:00:c6:12:00:0b\",\"state\":[\"PERMANENT\"]},"
            + "{\"dst\":\"198.18.0.201\",\"dev\":\"eth0\",\"state\":[\"INCOMPLETE\"]},"
            + "{\"dst\":\"2001:db8::200\",\"dev\":\"eth0\",\"lladdr\":\"02:00:c6:12:00:0c\",\"router\":null,\"state\":[\"STALE\"]}]";

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    @Test
    void theMacHeldForAnAddressIsRead() {
        NeighbourTable t = NeighbourTable.parse(JSON);
        assertEquals(Optional.of("02:00:c6:12:00:0b"), t.macOf(ip("198.18.0.200")));
        assertEquals(Optional.of("02:00:c6:12:00:0c"), t.macOf(ip("2001:0db8:0::200")), "IPv6 matched by value, not text");
        assertEquals(Set.of("STALE"), t.entry(ip("2001:db8::200")).orElseThrow().states());
    }

    @Test
    void anUnresolvedOrAbsentEntryHasNoMac() {
        NeighbourTable t = NeighbourTable.parse(JSON);
        assertEquals(Optional.empty(), t.macOf(ip("198.18.0.201")));
        assertEquals(Set.of("INCOMPLETE"), t.entry(ip("198.18.0.201")).orElseThrow().states());
        assertEquals(Optional.empty(), t.macOf(ip("198.18.0.202")));
    }

    @Test
    void anEmptyTableIsEmpty() {
        assertEquals(0, NeighbourTable.parse("[]").entries().size());
        assertEquals(0, NeighbourTable.parse("").entries().size());
    }
}
