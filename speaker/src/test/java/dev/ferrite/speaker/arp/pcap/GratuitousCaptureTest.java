package dev.ferrite.speaker.arp.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lines as tcpdump -n -e -tt prints them; only the two gratuitous forms count. */
class GratuitousCaptureTest {

    @Test
    void aGratuitousRequestAndReplyAreFramesAProbeAndAnAnswerAreNot() {
        assertEquals(Optional.of(new GratuitousCapture.Frame(1764633600.123456, "02:fa:00:00:00:0a", "198.18.10.240", GratuitousCapture.Form.ARP_REQUEST)),
                GratuitousCapture.parse("1764633600.123456 02:fa:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), "
                        + "length 42: Request who-has 198.18.10.240 tell 198.18.10.240, length 28"));
        assertEquals(Optional.of(new GratuitousCapture.Frame(1764633600.5, "02:fa:00:00:00:0a", "198.18.10.240", GratuitousCapture.Form.ARP_REPLY)),
                GratuitousCapture.parse("1764633600.500000 02:fa:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), "
                        + "length 42: Reply 198.18.10.240 is-at 02:fa:00:00:00:0a, length 28"));
        assertEquals(Optional.empty(), GratuitousCapture.parse("1764633600.6 02:fa:00:00:00:0a > ff:ff:ff:ff:ff:ff, "
                + "ethertype ARP (0x0806), length 42: Request who-has 198.18.10.240 tell 0.0.0.0, length 28"));
        assertEquals(Optional.empty(), GratuitousCapture.parse("1764633600.7 02:fa:00:00:00:0a > 6e:11:22:33:44:55, "
                + "ethertype ARP (0x0806), length 42: Reply 198.18.10.240 is-at 02:fa:00:00:00:0a, length 28"));
        assertEquals(Optional.of(new GratuitousCapture.Frame(1764633601.25, "02:fa:00:00:00:0a", "2001:db8:10::240",
                GratuitousCapture.Form.NEIGHBOR_ADVERTISEMENT)), GratuitousCapture.parse("1764633601.250000 02:fa:00:00:00:0a > "
                + "33:33:00:00:00:01, ethertype IPv6 (0x86dd), length 86: fe80::fa:ff:fe00:a > ff02::1: ICMP6, neighbor "
                + "advertisement, tgt is 2001:db8:10::240, length 32"));
        assertEquals(Optional.empty(), GratuitousCapture.parse("1764633601.3 02:fa:00:00:00:0a > 6e:11:22:33:44:55, "
                + "ethertype IPv6 (0x86dd), length 86: 2001:db8:10::240 > 2001:db8:10::1: ICMP6, neighbor advertisement, "
                + "tgt is 2001:db8:10::240, length 32"));
    }
}
