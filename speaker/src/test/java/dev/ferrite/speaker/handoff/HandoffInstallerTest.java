package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installer's commands, in order, run through a stand-in for {@code nft}, {@code ip} and
 * {@code cat} (a shell script given as the command prefix) that records them: no root needed.
 */
class HandoffInstallerTest {

    @TempDir
    Path dir;

    private static final IpAddress VIP = IpAddress.parse("198.18.0.200").orElseThrow();
    private static final HandoffWindow W = new HandoffWindow(VIP, "a", IpAddress.parse("198.18.0.11").orElseThrow(),
            Instant.EPOCH, Instant.EPOCH.plusSeconds(300));

    private Path fake(String body) throws Exception {
        Path log = dir.resolve("log");
        Path script = dir.resolve("fake.sh");
        Files.writeString(script, "#!/bin/sh\nLOG=" + log + "\necho \"$*\" >> $LOG\n"
                + "case \"$*\" in *' -f -'|*'-batch -') sed 's/^/  /' >> $LOG;; esac\n" + body + "\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> log() throws Exception {
        return Files.readAllLines(dir.resolve("log"));
    }

    @Test
    void startRemovesWhatAPredecessorLeftBeforeInstallingItsOwn() throws Exception {
        // ip rule del succeeds twice (two rules left behind), then fails: no more
        Path script = fake("case \"$*\" in *'rule del'*) n=$(grep -c 'rule del' $LOG); [ $n -gt 2 ] && exit 2;; "
                + "*ip_forward) echo 1;; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        assertEquals(new HandoffInstaller.Availability.On(), installer.start("ferrite speaker node=b pid=7"));
        List<String> log = log();
        assertEquals("nft -f -", log.get(0));
        assertEquals("  delete table inet ferrite_handoff", log.get(1));
        assertEquals(3, log.stream().filter(l -> l.equals("ip -4 rule del pref 90")).count());
        int flush = log.indexOf("ip -4 route flush table 7473");
        int table = log.indexOf("    comment \"ferrite speaker node=b pid=7\"");
        int rule = log.indexOf("ip -4 rule add pref 90 fwmark 0x00f10000/0x00f10000 lookup 7473");
        assertTrue(flush > 0 && table > flush && rule > table, String.join("\n", log));
        assertEquals(1, log.stream().filter(l -> l.equals("ip -6 rule del pref 90")).count(), "no IPv6 rule was left: " + log);
        assertTrue(log.indexOf("ip -6 rule add pref 90 fwmark 0x00f10000/0x00f10000 lookup 7473") > rule, String.join("\n", log));
        assertTrue(log.contains("ip -6 route flush table 7473"), String.join("\n", log));
        assertEquals(Map.of(), installer.familiesOff());
    }

    @Test
    void aNodeWithoutIpv6ForwardingHandsOffIpv4AndSaysWhyNotIpv6() throws Exception {
        Path script = fake("case \"$*\" in *ip_forward) echo 1;; */ipv6/conf/all/forwarding) echo 0;; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        assertEquals(new HandoffInstaller.Availability.On(), installer.start("x"));
        assertEquals(Map.of(IpFamily.IPv6, "IPv6 forwarding is off on this node (net.ipv6.conf.all.forwarding=0)"),
                installer.familiesOff());
        assertTrue(log().stream().noneMatch(l -> l.startsWith("ip -6 rule add")), String.join("\n", log()));
    }

    @Test
    void ipv6WindowsAreRoutedInAnIpv6BatchAndSetOfTheirOwn() throws Exception {
        Path script = fake("case \"$*\" in *ip_forward) echo 1;; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        installer.start("x");
        Files.delete(dir.resolve("log"));
        IpAddress vip6 = IpAddress.parse("2001:db8::200").orElseThrow();
        HandoffWindow w6 = new HandoffWindow(vip6, "a", IpAddress.parse("2001:db8::11").orElseThrow(), Instant.EPOCH,
                Instant.EPOCH.plusSeconds(300));
        installer.apply(new TreeMap<>(Map.of(VIP, W, vip6, w6)));
        List<String> log = log();
        assertEquals(List.of("ip -4 -force -batch -", "  route replace 198.18.0.200/32 via 198.18.0.11 table 7473",
                "ip -6 -force -batch -", "  route replace 2001:db8::200/128 via 2001:db8::11 table 7473"), log.subList(0, 4));
        assertTrue(log.contains("  add element inet ferrite_handoff handed_off { 198.18.0.200 }"), String.join("\n", log));
        assertTrue(log.contains("  add element inet ferrite_handoff handed_off6 { 2001:db8::200 }"), String.join("\n", log));

        Files.delete(dir.resolve("log"));
        installer.apply(new TreeMap<>(Map.of(VIP, W)));
        assertEquals(List.of("ip -6 -force -batch -", "  route del 2001:db8::200/128 table 7473"),
                log().subList(log().size() - 2, log().size()));
    }

    @Test
    void withoutNetAdminHandoffIsOffAndSaysWhy() throws Exception {
        Path script = fake("case \"$*\" in nft*) echo 'Error: Could not process rule: Operation not permitted'; exit 1;; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        HandoffInstaller.Availability a = installer.start("x");
        HandoffInstaller.Availability.Off off = assertInstanceOf(HandoffInstaller.Availability.Off.class, a);
        assertTrue(off.reason().contains("CAP_NET_ADMIN"), off.reason());
        installer.apply(new TreeMap<>(Map.of(VIP, W)));
        assertTrue(installer.installed().isEmpty(), "an installer that did not start installs nothing");
    }

    @Test
    void missingToolsTurnHandoffOff() {
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(),
                new HandoffCommands(List.of(dir.resolve("no-such-tool").toString())));
        HandoffInstaller.Availability.Off off = assertInstanceOf(HandoffInstaller.Availability.Off.class, installer.start("x"));
        assertTrue(off.reason().contains("cannot run"), off.reason());
    }

    @Test
    void forwardingOffTurnsHandoffOff() throws Exception {
        Path script = fake("case \"$*\" in *ip_forward) echo 0;; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        HandoffInstaller.Availability.Off off = assertInstanceOf(HandoffInstaller.Availability.Off.class, installer.start("x"));
        assertTrue(off.reason().contains("ip_forward=0"), off.reason());
    }

    @Test
    void applyRoutesFirstThenTheSetThenRemovesRoutesOfEndedWindows() throws Exception {
        Path script = fake("case \"$*\" in *ip_forward) echo 1;; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        installer.start("x");
        Files.delete(dir.resolve("log"));
        installer.apply(new TreeMap<>(Map.of(VIP, W)));
        List<String> log = log();
        assertEquals("ip -4 -force -batch -", log.get(0));
        assertEquals("  route replace 198.18.0.200/32 via 198.18.0.11 table 7473", log.get(1));
        assertTrue(log.contains("  add element inet ferrite_handoff handed_off { 198.18.0.200 }"), String.join("\n", log));
        assertEquals(Map.of(VIP, W), installer.installed());

        Files.delete(dir.resolve("log"));
        installer.apply(new TreeMap<>());
        log = log();
        assertEquals(List.of("nft -f -", "  flush set inet ferrite_handoff handed_off", "  flush set inet ferrite_handoff handed_off6",
                "ip -4 -force -batch -", "  route del 198.18.0.200/32 table 7473"), log);
        assertTrue(installer.installed().isEmpty());
    }

    @Test
    void aServiceIpThatBecomesLocalAfterItsRouteWasArmedStillMovesTheLocalTable() throws Exception {
        // kube-proxy in IPVS mode puts the IP on kube-ipvs0 only after the speaker armed its route
        Path local = dir.resolve("local");
        Path script = fake("case \"$*\" in *ip_forward) echo 1;; "
                + "*'-o addr show'*) echo '2: eth0    inet 198.18.0.12/24 brd 198.18.0.255 scope global eth0\\       valid_lft forever preferred_lft forever'; "
                + "[ -f " + local + " ] && echo '9: kube-ipvs0    inet 198.18.0.200/32 scope global kube-ipvs0\\       valid_lft forever preferred_lft forever';; "
                + "*'rule show pref 0'*) echo '0:\tfrom all lookup local';; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        installer.start("x");
        installer.apply(new TreeMap<>(Map.of(VIP, W)));
        assertTrue(log().stream().noneMatch(l -> l.contains("rule add pref 91")), String.join("\n", log()));

        Files.writeString(local, "");
        installer.apply(new TreeMap<>(Map.of(VIP, W)));
        List<String> log = log();
        assertTrue(log.contains("ip -4 rule add pref 91 lookup local"), String.join("\n", log));
        assertTrue(log.indexOf("ip -4 rule del pref 0 lookup local") > log.indexOf("ip -4 rule add pref 91 lookup local"),
                "the new rule comes before the old one goes: " + log);
    }

    @Test
    void aRefusedRouteLeavesThatIpOut() throws Exception {
        Path script = fake("case \"$*\" in *ip_forward) echo 1;; *-batch*) cat >/dev/null; "
                + "echo 'Error: Nexthop has invalid gateway.'; echo 'Command failed -:1'; exit 1;; esac");
        HandoffInstaller installer = new HandoffInstaller(HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())));
        installer.start("x");
        installer.apply(new TreeMap<>(Map.of(VIP, W)));
        assertTrue(installer.installed().isEmpty());
        assertTrue(log().contains("  flush set inet ferrite_handoff handed_off"));
    }
}
