package dev.ferrite.speaker.arp.pcap;

import static dev.ferrite.speaker.arp.pcap.AnnouncerNetwork.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.arp.FrameCodec;
import dev.ferrite.speaker.arp.MacAddress;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The probe before a first announcement on real links ({@link AnnouncerNetwork}): the client
 * namespace stands for a host outside the cluster; its kernel answers the ARP probe and the
 * duplicate address detection for addresses it holds, exactly as a laptop or server with a
 * statically configured address would.
 */
@Tag("netns")
class ProbeNetnsTest {

    private static final Pattern MS = Pattern.compile("ms=(\\d+)");
    /** A MAC no lab host has: a host outside the cluster. */
    private static final MacAddress OTHER = MacAddress.parse("02:00:00:00:00:77").orElseThrow();
    private static AnnouncerNetwork network;
    private static String clientMac;

    @BeforeAll
    static void buildNetwork() throws Exception {
        Assumptions.assumeTrue(AnnouncerNetwork.isRoot(), "needs root: creates network namespaces");
        network = AnnouncerNetwork.create("fxprb");
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(sh("ip", "-n", network.client, "link", "show", "br0"));
        assertTrue(m.find());
        clientMac = m.group(1);
    }

    @AfterAll
    static void tearDown() {
        if (network != null) {
            network.close();
        }
    }

    private static long ms(String reply) {
        Matcher m = MS.matcher(reply);
        assertTrue(m.find(), reply);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aFreeAddressIsFreeAfterTheBoundedWait() throws Exception {
        String reply = network.a().ask("probe 198.18.10.210");
        assertTrue(reply.startsWith("probed free"), reply);
        long ms = ms(reply);
        assertTrue(ms >= 200 && ms < 1000, "waited the probe's answer time, not RFC 5227's seconds: " + reply);
    }

    @Test
    void anIpv4AddressAHostOutsideTheClusterHoldsIsInUse() throws Exception {
        sh("ip", "-n", network.client, "addr", "add", "198.18.10.211/32", "dev", "br0");
        try {
            String reply = network.a().ask("probe 198.18.10.211");
            assertTrue(reply.startsWith("probed in-use " + clientMac + " ARP reply on a0"), reply);
            assertTrue(ms(reply) < 200, "an answer ends the probe at once: " + reply);
        } finally {
            sh("ip", "-n", network.client, "addr", "del", "198.18.10.211/32", "dev", "br0");
        }
    }

    @Test
    void anIpv6AddressAHostOutsideTheClusterHoldsIsInUse() throws Exception {
        sh("ip", "-n", network.client, "addr", "add", "2001:db8:10::211/128", "dev", "br0", "nodad");
        try {
            String reply = network.a().ask("probe 2001:db8:10::211");
            assertTrue(reply.startsWith("probed in-use " + clientMac + " Neighbor Advertisement on a0"), reply);
        } finally {
            sh("ip", "-n", network.client, "addr", "del", "2001:db8:10::211/128", "dev", "br0");
        }
    }

    @Test
    void probesOfMembersLeftOutOfTheCaptureAreNotAnsweredOthersAre() throws Exception {
        String vip = "198.18.10.213";
        network.b().ask("announce " + vip);
        try {
            // B answers A's probe (the defence of an announced IP): A, not told B is a member, sees it in use
            String answered = network.a().ask("probe " + vip);
            assertTrue(answered.startsWith("probed in-use " + AnnouncerNetwork.MAC_B), answered);

            assertEquals("ok ignoring 1", network.b().ask("ignore-probes-from " + AnnouncerNetwork.MAC_A));
            // the capture thread installs the filter at its next turn; poll (bounded) until it is in
            String unanswered = "";
            for (int i = 0; i < 10 && !unanswered.startsWith("probed free"); i++) {
                unanswered = network.a().ask("probe " + vip);
            }
            assertTrue(unanswered.startsWith("probed free"), "B's kernel drops A's probes now: " + unanswered);
            int before = replies(network.b().ask("counters"));
            // a probe from any other MAC still reaches B, and B still answers A's plain requests
            network.a().ask("inject a0 " + HexFormat.of().formatHex(FrameCodec.arpProbe(OTHER, IpAddress.parse(vip).orElseThrow())));
            network.a().ask("inject a0 " + HexFormat.of().formatHex(FrameCodec.arpRequest(MacAddress.parse(AnnouncerNetwork.MAC_A)
                    .orElseThrow(), IpAddress.parse("198.18.10.50").orElseThrow(), IpAddress.parse(vip).orElseThrow())));
            long deadline = System.nanoTime() + 5_000_000_000L;
            int after = before;
            while (after < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                after = replies(network.b().ask("counters"));
            }
            assertEquals(before + 2, after, "B answered the other MAC's probe and A's request");

            assertEquals("ok ignoring 0", network.b().ask("ignore-probes-from"));
            String again = "";
            for (int i = 0; i < 10 && !again.startsWith("probed in-use"); i++) {
                again = network.a().ask("probe " + vip);
            }
            assertTrue(again.startsWith("probed in-use " + AnnouncerNetwork.MAC_B), "captured again: " + again);
        } finally {
            network.b().ask("withdraw " + vip);
        }
    }

    private static int replies(String counters) {
        Matcher m = Pattern.compile("replies=(\\d+)").matcher(counters);
        assertTrue(m.find(), counters);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void anAnswerFromAClusterMemberIsNoConflict() throws Exception {
        // B announces the IP and answers A's probe as it answers any; A knows B's MAC as a member's
        String vip = "198.18.10.212";
        network.b().ask("announce " + vip);
        try {
            String asMember = network.a().ask("probe " + vip + " " + AnnouncerNetwork.MAC_B);
            assertTrue(asMember.startsWith("probed free"), asMember);
            // the same answer from a MAC A does not know as a member's is a conflict: the member list matters
            String unknown = network.a().ask("probe " + vip);
            assertTrue(unknown.startsWith("probed in-use " + AnnouncerNetwork.MAC_B), unknown);
        } finally {
            network.b().ask("withdraw " + vip);
        }
    }
}
