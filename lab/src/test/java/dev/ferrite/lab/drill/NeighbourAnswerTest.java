package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class NeighbourAnswerTest {

    static List<Arguments> lines() {
        return List.of(
                Arguments.of("06:00:00.123456 02:00:00:00:00:12 > 02:00:00:00:00:99, ethertype ARP (0x0806), length 42: Reply 198.18.0.200 is-at 02:00:00:00:00:12, length 28",
                        Optional.of("198.18.0.200 02:00:00:00:00:12")),
                Arguments.of("06:00:00.123456 02:00:00:00:00:13 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 198.18.0.201 tell 198.18.0.201, length 28",
                        Optional.of("198.18.0.201 02:00:00:00:00:13")),
                Arguments.of("02:00:00:00:00:99 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 198.18.0.200 tell 198.18.0.2, length 28",
                        Optional.empty()),
                Arguments.of("06:00:01.000001 02:00:00:00:00:14 > 33:33:00:00:00:01, ethertype IPv6 (0x86dd), length 86: 2001:db8::c8 > ff02::1: ICMP6, neighbor advertisement, tgt is 2001:db8::c8, length 32",
                        Optional.of("2001:db8::c8 02:00:00:00:00:14")),
                Arguments.of("06:00:01.000001 02:00:00:00:00:14 > 33:33:ff:00:00:c8, ethertype IPv6 (0x86dd), length 86: 2001:db8::1 > ff02::1:ff00:c8: ICMP6, neighbor solicitation, who has 2001:db8::c8, length 32",
                        Optional.empty()),
                Arguments.of("tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes", Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void readsClaimsFromTcpdumpLines(String line, Optional<String> expected) {
        assertEquals(expected, NeighbourAnswer.parse(7, line).map(a -> a.ip() + " " + a.mac()));
    }

    @Test
    void anIpClaimedByTwoMacsInTheWindowIsADuplicate() {
        List<NeighbourAnswer> seen = List.of(
                new NeighbourAnswer(10, "198.18.0.200", "02:00:00:00:00:12"),
                new NeighbourAnswer(20, "198.18.0.200", "02:00:00:00:00:13"),
                new NeighbourAnswer(30, "198.18.0.201", "02:00:00:00:00:12"),
                new NeighbourAnswer(40, "198.18.0.201", "02:00:00:00:00:12"),
                new NeighbourAnswer(50, "198.18.0.12", "02:00:00:00:00:12"),
                new NeighbourAnswer(55, "198.18.0.12", "02:00:00:00:00:99"));
        Set<String> vips = Set.of("198.18.0.200", "198.18.0.201");
        assertEquals(List.of("198.18.0.200"), DuplicateAnswers.within(seen, vips, 0, 100));
        assertEquals(List.of(), DuplicateAnswers.within(seen, vips, 15, 100), "the old owner's claim is before the window");
    }
}
