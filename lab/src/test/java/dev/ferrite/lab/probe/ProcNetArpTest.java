package dev.ferrite.lab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcNetArpTest {

    private static final String TABLE = """
            IP address       HW type     Flags       HW address            Mask     Device
            198.18.0.11      0x1         0x2         02:00:c6:12:00:0b     *        eth0
            198.18.0.200     0x1         0x6         02:00:c6:12:00:0c     *        eth0
            198.18.0.201     0x1         0x0         00:00:00:00:00:00     *        eth0
            """;

    @Test
    void resolvedAndPermanentEntriesGiveTheirMac() {
        assertEquals(Optional.of("02:00:c6:12:00:0b"), ProcNetArp.macOf(TABLE, "198.18.0.11"));
        assertEquals(Optional.of("02:00:c6:12:00:0c"), ProcNetArp.macOf(TABLE, "198.18.0.200"));
    }

    @Test
    void unresolvedAndMissingEntriesGiveNoMac() {
        assertEquals(Optional.empty(), ProcNetArp.macOf(TABLE, "198.18.0.201"));
        assertEquals(Optional.empty(), ProcNetArp.macOf(TABLE, "198.18.0.1"));
        assertEquals(Optional.empty(), ProcNetArp.macOf(TABLE, "198.18.0.20"));
    }
}
