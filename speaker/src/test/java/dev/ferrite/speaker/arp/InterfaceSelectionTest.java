package dev.ferrite.speaker.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InterfaceSelectionTest {

    private static final List<Pattern> DEFAULTS = InterfaceSelection.compile(InterfaceSelection.DEFAULT_EXCLUDES);
    private static final Optional<MacAddress> SOME_MAC = MacAddress.parse("02:00:00:00:00:01");

    private static InterfaceDescription ether(String name) {
        return new InterfaceDescription(name, true, true, false, true, Optional.empty(), SOME_MAC);
    }

    private static InterfaceDescription down(String name) {
        return new InterfaceDescription(name, false, true, false, true, Optional.empty(), SOME_MAC);
    }

    private static InterfaceDescription member(String name, String master) {
        return new InterfaceDescription(name, true, true, false, true, Optional.of(master), SOME_MAC);
    }

    /** A typical node: uplink bonded, a bridge for VMs, and everything Kubernetes networking adds. */
    private static final List<InterfaceDescription> NODE = List.of(
            new InterfaceDescription("lo", true, false, true, false, Optional.empty(), Optional.of(MacAddress.ZERO)),
            member("eno1", "bond0"),
            member("eno2", "bond0"),
            ether("bond0"),
            ether("br-vm"),
            member("vnet0", "br-vm"),
            down("eth3"),
            new InterfaceDescription("wg0", true, false, false, false, Optional.empty(), Optional.empty()),
            new InterfaceDescription("tun0", true, false, false, true, Optional.empty(), SOME_MAC),
            ether("enp5s0"),
            ether("veth1a2b3c"), ether("cni0"), ether("docker0"), ether("kube-ipvs0"), ether("flannel.1"),
            ether("cali123"), ether("vxlan.calico"), ether("tunl0"), ether("weave"), ether("dummy0"),
            ether("kube-bridge"));

    @Test
    void automaticSelectionKeepsOnlyRealUplinks() {
        InterfaceSelection.Selected s = InterfaceSelection.select(NODE, List.of(), DEFAULTS);
        assertEquals(List.of("bond0", "br-vm", "enp5s0"), s.names());
    }

    @Test
    void automaticSelectionSaysWhyEachInterfaceWasLeftOut() {
        Map<String, String> skipped = InterfaceSelection.select(NODE, List.of(), DEFAULTS).skipped();
        Map<String, String> expected = Map.of(
                "lo", "not Ethernet",
                "eno1", "enslaved to bond0; announce on bond0 instead",
                "vnet0", "enslaved to br-vm; announce on br-vm instead",
                "eth3", "down",
                "wg0", "not Ethernet",
                "tun0", "cannot broadcast",
                "veth1a2b3c", "name matches exclude pattern veth.*",
                "kube-ipvs0", "name matches exclude pattern kube-ipvs.*",
                "kube-bridge", "name matches exclude pattern kube-bridge");
        expected.forEach((name, why) -> assertEquals(why, skipped.get(name), name));
        assertEquals(NODE.size() - 3, skipped.size());
    }

    @Test
    void everyDefaultPatternExcludesItsInterface() {
        for (String name : List.of("lo", "veth0", "cni0", "docker0", "kube-ipvs0", "flannel.1", "cali0", "vxlan.calico",
                "tunl0", "weave", "dummy0", "kube-bridge")) {
            InterfaceSelection.Selected s = InterfaceSelection.select(List.of(ether(name)), List.of(), DEFAULTS);
            assertTrue(s.chosen().isEmpty(), name + " was chosen");
        }
        InterfaceSelection.Selected s = InterfaceSelection.select(List.of(ether("kube-bridge2"), ether("eth0")),
                List.of(), DEFAULTS);
        assertEquals(List.of("kube-bridge2", "eth0"), s.names(), "patterns match whole names");
    }

    @Test
    void operatorPatternsReplaceTheDefaults() {
        List<Pattern> mine = InterfaceSelection.compile(List.of("enp.*"));
        assertEquals(List.of("veth0"), InterfaceSelection.select(List.of(ether("enp1s0"), ether("veth0")), List.of(), mine)
                .names());
    }

    @Test
    void namedInterfacesAreTakenEvenWhenAPatternWouldExcludeThem() {
        InterfaceSelection.Selected s = InterfaceSelection.select(NODE, List.of("veth1a2b3c", "enp5s0"), DEFAULTS);
        assertEquals(List.of("veth1a2b3c", "enp5s0"), s.names());
    }

    @Test
    void namedInterfacesThatCannotCarryArpAreSkippedWithAReason() {
        InterfaceSelection.Selected s = InterfaceSelection.select(NODE, List.of("eth9", "eno1", "eth3", "wg0", "bond0"),
                DEFAULTS);
        assertEquals(List.of("bond0"), s.names());
        assertEquals(Map.of("eth9", "no such interface", "eno1", "enslaved to bond0; announce on bond0 instead",
                "eth3", "down", "wg0", "not Ethernet"), s.skipped());
        assertEquals(Set.of("eth9", "eno1", "eth3", "wg0"), s.skipped().keySet());
    }
}
