package dev.ferrite.speaker.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.api.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelNeighboursTest {

    @Test
    void readsTheAddressOfEachEntryAndSkipsWhatIsNotOne() {
        String output = """
                198.18.0.3 dev eth0  INCOMPLETE
                198.18.0.11 dev eth0  FAILED
                2001:db8::3 dev eth0  INCOMPLETE
                fe80::1 dev eth0 router FAILED

                Dump terminated
                """;
        assertEquals(List.of(ip("198.18.0.3"), ip("198.18.0.11"), ip("2001:db8::3"), ip("fe80::1")),
                KernelNeighbours.parse(output));
        assertEquals(List.of(), KernelNeighbours.parse(""));
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }
}
