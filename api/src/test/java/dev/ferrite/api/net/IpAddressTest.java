package dev.ferrite.api.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "198.18.0.1, 198.18.0.1",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "2001:db8::1, 2001:db8::1",
            "2001:DB8::1, 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:db8::1:0:0:0, 2001:db8:0:0:1::",
            "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
            "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
            "fe80::a00:27ff:fe4e:66a1, fe80::a00:27ff:fe4e:66a1",
            "::ffff:198.18.0.1, ::ffff:198.18.0.1",
            "::ffff:c612:1, ::ffff:198.18.0.1",
            "64:ff9b::198.18.0.1, 64:ff9b::c612:1",
            "1:2:3:4:5:6:198.18.0.1, 1:2:3:4:5:6:c612:1",
    })
    void parsesLiteralsAndPrintsThemInCanonicalForm(String text, String canonical) {
        IpAddress a = IpAddress.parse(text).orElseThrow();
        assertEquals(canonical, a.toString());
        assertEquals(a, IpAddress.parse(canonical).orElseThrow(), "canonical text parses back to the same address");
    }

    @ParameterizedTest(name = "\"{0}\" is not an address")
    @ValueSource(strings = {
            "", "localhost", "example.com", "ferrite.dev", "a.b.c.d",
            "198.18.0", "198.18.0.1.2", "198.18.0.256", "198.18.0.-1", "198.18.0.01", "010.0.0.1",
            "198.18.0.1 ", " 198.18.0.1", "198.18..1", "+1.2.3.4",
            "\u0661.\u0662.\u0663.\u0664",
            "2001:db8::1::1", "2001:db8:::1", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "12345::", "g::1",
            "fe80::1%eth0", "[::1]", "::198.18.0.1:1", "198.18.0.1::", "1:2:3:4:5:6:7:198.18.0.1",
            "::ffff:198.18.0.256", ".::1", "::\uff11",
    })
    void rejectsAnythingThatIsNotALiteral(String text) {
        assertEquals(Optional.empty(), IpAddress.parse(text));
    }

    @Test
    void rejectsNull() {
        assertEquals(Optional.empty(), IpAddress.parse(null));
    }

    @Test
    void familiesAreTakenFromTheText() {
        assertEquals(IpFamily.IPv4, IpAddress.parse("198.18.0.1").orElseThrow().family());
        assertEquals(IpFamily.IPv6, IpAddress.parse("::ffff:198.18.0.1").orElseThrow().family());
        assertEquals(IpFamily.IPv6, IpAddress.parse("::").orElseThrow().family());
    }

    @ParameterizedTest(name = "next of {0} is {1}")
    @CsvSource({
            "198.18.0.1, 198.18.0.2",
            "198.18.0.255, 198.18.1.0",
            "0.255.255.255, 1.0.0.0",
            "2001:db8::, 2001:db8::1",
            "2001:db8::ffff, 2001:db8::1:0",
            "2001:db8:0:0:ffff:ffff:ffff:ffff, 2001:db8:0:1::",
            "::ffff:ffff:ffff:ffff, 0:0:0:1::",
            "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 8000::",
    })
    void nextAndPreviousAreInverse(String from, String to) {
        IpAddress a = IpAddress.parse(from).orElseThrow();
        IpAddress b = IpAddress.parse(to).orElseThrow();
        assertEquals(Optional.of(b), a.next());
        assertEquals(Optional.of(a), b.previous());
    }

    @Test
    void nextStopsAtTheTopOfEachFamily() {
        assertEquals(Optional.empty(), IpAddress.parse("255.255.255.255").orElseThrow().next());
        assertEquals(Optional.empty(), IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").orElseThrow().next());
    }

    @Test
    void previousStopsAtTheBottomOfEachFamily() {
        assertEquals(Optional.empty(), IpAddress.parse("0.0.0.0").orElseThrow().previous());
        assertEquals(Optional.empty(), IpAddress.parse("::").orElseThrow().previous());
    }

    @Test
    void comparesUnsignedSoHighAddressesSortAfterLowOnes() {
        IpAddress low = IpAddress.parse("127.255.255.255").orElseThrow();
        IpAddress high = IpAddress.parse("128.0.0.0").orElseThrow();
        IpAddress top = IpAddress.parse("255.255.255.255").orElseThrow();
        assertTrue(low.compareTo(high) < 0);
        assertTrue(high.compareTo(top) < 0);
        IpAddress v6low = IpAddress.parse("7fff::").orElseThrow();
        IpAddress v6high = IpAddress.parse("ffff::").orElseThrow();
        assertTrue(v6low.compareTo(v6high) < 0);
        IpAddress v6lo = IpAddress.parse("::7fff:ffff:ffff:ffff").orElseThrow();
        IpAddress v6hi = IpAddress.parse("::8000:0:0:0").orElseThrow();
        assertTrue(v6lo.compareTo(v6hi) < 0);
        assertTrue(top.compareTo(IpAddress.parse("::").orElseThrow()) < 0, "IPv4 sorts before IPv6");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"198.18.0.1", "255.255.255.255", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::"})
    void convertsToAndFromInetAddressAndBigInteger(String text) throws Exception {
        IpAddress a = IpAddress.parse(text).orElseThrow();
        InetAddress inet = a.toInetAddress();
        assertEquals(a, IpAddress.of(inet));
        assertEquals(a, IpAddress.of(a.family(), a.toBigInteger()));
        assertEquals(new BigInteger(1, inet.getAddress()), a.toBigInteger());
    }

    @ParameterizedTest(name = "{0}/{1} spans {2} to {3}")
    @CsvSource({
            "198.18.0.77, 24, 198.18.0.0, 198.18.0.255",
            "198.18.0.77, 32, 198.18.0.77, 198.18.0.77",
            "198.18.0.77, 0, 0.0.0.0, 255.255.255.255",
            "198.19.255.1, 15, 198.18.0.0, 198.19.255.255",
            "2001:db8::abcd, 64, 2001:db8::, 2001:db8::ffff:ffff:ffff:ffff",
            "2001:db8:1:2:3:4:5:6, 32, 2001:db8::, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db8::abcd, 120, 2001:db8::ab00, 2001:db8::abff",
            "2001:db8::abcd, 128, 2001:db8::abcd, 2001:db8::abcd",
            "2001:db8::abcd, 0, ::, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db8:0:ff:8000::, 57, 2001:db8:0:80::, 2001:db8:0:ff:ffff:ffff:ffff:ffff",
    })
    void networkAndBroadcastClearAndSetHostBits(String address, int prefix, String network, String broadcast) {
        IpAddress a = IpAddress.parse(address).orElseThrow();
        assertEquals(network, a.network(prefix).toString());
        assertEquals(broadcast, a.broadcast(prefix).toString());
    }

    @Test
    void prefixLengthBeyondTheFamilyIsABug() {
        IpAddress v4 = IpAddress.parse("198.18.0.1").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> v4.network(33));
        assertThrows(IllegalArgumentException.class, () -> v4.broadcast(-1));
        IpAddress v6 = IpAddress.parse("2001:db8::1").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> v6.network(129));
    }

    @Test
    void anIpv4AddressCannotHoldMoreThan32Bits() {
        assertThrows(IllegalArgumentException.class, () -> new IpAddress(IpFamily.IPv4, 0, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress(IpFamily.IPv4, 1, 0));
    }
}
