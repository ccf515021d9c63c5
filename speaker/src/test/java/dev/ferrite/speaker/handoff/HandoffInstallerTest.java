package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
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
        assertEquals(List.of("nft -f -", "  flush set inet ferrite_handoff handed_off", "ip -4 -force -batch -",
                "  route del 198.18.0.200/32 table 7473"), log);
        assertTrue(installer.installed().isEmpty());
    }

    @Test
    void aServiceIpThatBecomesLocalAfterItsRouteWasArmedStillMovesTheLocalTable() throws Exception {
        // kube-proxy in IPVS mode puts the IP on kube-ipvs0 only after the speaker armed its route
        Path local = dir.resolve("local");
        Path script = fake("case \"$*\" in *ip_forward) echo 1;; "
                + "*'route show table local type local'*) [ -f " + local + " ] && echo '198.18.0.200 dev kube-ipvs0 proto kernel scope host src 198.18.0.200';; "
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
