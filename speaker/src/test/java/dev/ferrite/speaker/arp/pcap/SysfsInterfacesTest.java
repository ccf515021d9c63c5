package dev.ferrite.speaker.arp.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.speaker.arp.InterfaceDescription;
import dev.ferrite.speaker.arp.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsInterfacesTest {

    @TempDir
    Path root;

    private Path iface(String name, String flags, String type, String address) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("flags"), flags + "\n");
        Files.writeString(dir.resolve("type"), type + "\n");
        if (address != null) {
            Files.writeString(dir.resolve("address"), address + "\n");
        }
        return dir;
    }

    @Test
    void readsFlagsTypeAddressAndBridgeOrBondMembership() throws IOException {
        iface("lo", "0x9", "772", "00:00:00:00:00:00");
        iface("br0", "0x1003", "1", "02:aa:00:00:00:01");
        Path port = iface("eth0", "0x1003", "1", "02:aa:00:00:00:02");
        Files.createDirectories(port.resolve("brport"));
        Files.createSymbolicLink(port.resolve("master"), Path.of("../br0"));
        Path slave = iface("eth1", "0x1803", "1", "02:aa:00:00:00:03");
        Files.createDirectories(slave.resolve("bonding_slave"));
        Files.createSymbolicLink(slave.resolve("master"), Path.of("../bond0"));
        Path vrfMember = iface("eth2", "0x1003", "1", "02:aa:00:00:00:04");
        Files.createSymbolicLink(vrfMember.resolve("master"), Path.of("../vrf-blue"));
        iface("eth3", "0x1002", "1", "02:aa:00:00:00:05");
        iface("wg0", "0x91", "65534", null);

        List<InterfaceDescription> read = SysfsInterfaces.read(root);

        assertEquals(List.of(
                new InterfaceDescription("br0", true, true, false, true, Optional.empty(), MacAddress.parse("02:aa:00:00:00:01")),
                new InterfaceDescription("eth0", true, true, false, true, Optional.of("br0"), MacAddress.parse("02:aa:00:00:00:02")),
                new InterfaceDescription("eth1", true, true, false, true, Optional.of("bond0"), MacAddress.parse("02:aa:00:00:00:03")),
                new InterfaceDescription("eth2", true, true, false, true, Optional.empty(), MacAddress.parse("02:aa:00:00:00:04")),
                new InterfaceDescription("eth3", false, true, false, true, Optional.empty(), MacAddress.parse("02:aa:00:00:00:05")),
                new InterfaceDescription("lo", true, false, true, false, Optional.empty(), Optional.of(MacAddress.ZERO)),
                new InterfaceDescription("wg0", true, false, false, false, Optional.empty(), Optional.empty())),
                read);
    }

    @Test
    void anInterfaceThatVanishesWhileBeingReadIsLeftOut() throws IOException {
        iface("eth0", "0x1003", "1", "02:aa:00:00:00:02");
        Files.createDirectories(root.resolve("gone"));
        assertEquals(List.of("eth0"), SysfsInterfaces.read(root).stream().map(InterfaceDescription::name).toList());
    }

    @Test
    void readsThisHostsLoopback() throws IOException {
        Optional<InterfaceDescription> lo = SysfsInterfaces.read().stream().filter(i -> i.name().equals("lo")).findFirst();
        assertEquals(true, lo.orElseThrow().loopback());
    }
}
