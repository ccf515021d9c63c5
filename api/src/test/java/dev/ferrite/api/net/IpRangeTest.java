package dev.ferrite.api.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRangeTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    private static IpRange range(String first, String last) {
        return new IpRange(ip(first), ip(last));
    }

    @ParameterizedTest(name = "{0}/{1} holds {2} addresses")
    @CsvSource({
            "198.18.0.0, 32, 1",
            "198.18.0.0, 24, 256",
            "10.0.0.0, 8, 16777216",
            "0.0.0.0, 0, 4294967296",
            "2001:db8::, 128, 1",
            "2001:db8::, 120, 256",
            "2001:db8::, 64, 18446744073709551616",
            "2001:db8::, 32, 79228162514264337593543950336",
            "::, 0, 340282366920938463463374607431768211456",
    })
    void sizeCountsEveryAddressOfThePrefix(String network, int prefix, String size) {
        assertEquals(new BigInteger(size), IpRange.ofPrefix(ip(network), prefix).size());
    }

    @Test
    void sizeOfAnExplicitRangeIsInclusive() {
        assertEquals(BigInteger.valueOf(11), range("198.18.0.10", "198.18.0.20").size());
        assertEquals(BigInteger.ONE, IpRange.of(ip("2001:db8::5")).size());
    }

    @Test
    void containsOnlyAddressesOfItsFamilyBetweenItsEnds() {
        IpRange r = range("198.18.0.10", "198.18.0.20");
        assertTrue(r.contains(ip("198.18.0.10")));
        assertTrue(r.contains(ip("198.18.0.20")));
        assertFalse(r.contains(ip("198.18.0.9")));
        assertFalse(r.contains(ip("198.18.0.21")));
        assertFalse(r.contains(ip("::ffff:198.18.0.15")));
    }

    @ParameterizedTest(name = "{0}-{1} and {2}-{3} overlap: {4}")
    @CsvSource({
            "198.18.0.0, 198.18.0.10, 198.18.0.10, 198.18.0.20, true",
            "198.18.0.0, 198.18.0.10, 198.18.0.11, 198.18.0.20, false",
            "198.18.0.0, 198.18.0.255, 198.18.0.5, 198.18.0.6, true",
            "2001:db8::, 2001:db8::ff, 2001:db8::80, 2001:db8::1ff, true",
            "2001:db8::, 2001:db8::ff, 2001:db8::100, 2001:db8::1ff, false",
            "0.0.0.0, 255.255.255.255, ::, ::ffff:ffff, false",
    })
    void overlapIsSymmetric(String a1, String a2, String b1, String b2, boolean overlap) {
        IpRange a = range(a1, a2);
        IpRange b = range(b1, b2);
        assertEquals(overlap, a.overlaps(b));
        assertEquals(overlap, b.overlaps(a));
    }

    @Test
    void reversedOrMixedRangesAreBugs() {
        assertThrows(IllegalArgumentException.class, () -> range("198.18.0.2", "198.18.0.1"));
        assertThrows(IllegalArgumentException.class, () -> range("198.18.0.1", "2001:db8::1"));
    }

    @Test
    void sortsByFirstThenLastAddressWithIpv4BeforeIpv6() {
        List<IpRange> sorted = List.of(
                range("198.18.0.0", "198.18.0.5"),
                range("198.18.0.0", "198.18.0.9"),
                range("198.18.1.0", "198.18.1.0"),
                range("2001:db8::", "2001:db8::1"));
        List<IpRange> shuffled = new ArrayList<>(sorted);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
    }

    @Test
    void printsAsFirstDashLast() {
        assertEquals("198.18.0.0-198.18.0.255", IpRange.ofPrefix(ip("198.18.0.77"), 24).toString());
        assertEquals("2001:db8::-2001:db8::ff", IpRange.ofPrefix(ip("2001:db8::"), 120).toString());
    }
}
