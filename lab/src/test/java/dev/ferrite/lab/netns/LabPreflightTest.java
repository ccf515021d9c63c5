package dev.ferrite.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabPreflightTest {

    private static final Set<String> ALL_TOOLS = Set.of("tcpdump", "ping", "nft", "conntrack");
    private static final LabPreflight.Facts READY =
            new LabPreflight.Facts(0, Optional.of("/usr/sbin/ip"), Optional.of("/usr/sbin/sysctl"), true, true, ALL_TOOLS);

    @Test
    void aRootMachineWithEveryToolIsReady() {
        assertEquals(List.of(), LabPreflight.evaluate(READY));
    }

    @Test
    void notBeingRootIsRefusedWithTheUid() {
        List<LabPreflight.Problem> p = LabPreflight.evaluate(
                new LabPreflight.Facts(1000, READY.ip(), READY.sysctl(), true, true, ALL_TOOLS));
        assertEquals(1, p.size());
        assertTrue(p.get(0).message().contains("must run as root (effective uid is 1000)"), p.get(0).message());
        assertEquals(Optional.empty(), p.get(0).debianPackage());
    }

    @Test
    void eachMissingToolNamesTheInstallCommand() {
        List<LabPreflight.Problem> p = LabPreflight.evaluate(
                new LabPreflight.Facts(0, Optional.empty(), Optional.empty(), false, true, Set.of("tcpdump", "ping")));
        assertEquals(List.of("iproute2", "procps", "libpcap0.8", "nftables", "conntrack"),
                p.stream().map(x -> x.debianPackage().orElseThrow()).toList());
        assertTrue(p.get(0).message().endsWith("apt-get install -y iproute2"), p.get(0).message());
        assertTrue(p.get(2).message().endsWith("apt-get install -y libpcap0.8"), p.get(2).message());
    }

    @Test
    void theEffectiveUidIsReadFromTheProcessStatus() {
        String status = "Name:\tjava\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
        assertEquals(0, LabPreflight.uidFromStatus(status));
    }
}
