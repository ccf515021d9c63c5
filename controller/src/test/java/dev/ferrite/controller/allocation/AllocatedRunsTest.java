package dev.ferrite.controller.allocation;

import static dev.ferrite.controller.allocation.Fixtures.ip;
import static dev.ferrite.controller.allocation.Fixtures.range;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.api.net.IpAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocatedRunsTest {

    private final Set<IpAddress> held = new HashSet<>();

    private void hold(AllocatedRuns runs, IpAddress a) {
        held.add(a);
        runs.add(a);
    }

    private void free(AllocatedRuns runs, IpAddress a) {
        held.remove(a);
        runs.remove(a, held::contains);
    }

    @Test
    void consecutiveAddressesOfAHugeRangeCostOneRun() {
        AllocatedRuns runs = new AllocatedRuns(range("2001:db8::/64"), false);
        for (int i = 0; i < 10_000; i++) {
            hold(runs, runs.firstFree().orElseThrow());
        }
        assertEquals(1, runs.runCount());
        assertEquals(Optional.of(ip("2001:db8::2710")), runs.firstFree());
    }

    @Test
    void freeingInTheMiddleSplitsARunAndHoldingAgainJoinsIt() {
        AllocatedRuns runs = new AllocatedRuns(range("198.18.0.0/24"), false);
        for (int i = 0; i < 10; i++) {
            hold(runs, runs.firstFree().orElseThrow());
        }
        free(runs, ip("198.18.0.4"));
        assertEquals(2, runs.runCount());
        assertEquals(Optional.of(ip("198.18.0.4")), runs.firstFree());
        hold(runs, ip("198.18.0.4"));
        assertEquals(1, runs.runCount());
    }

    @Test
    void skippedAddressesJoinTheRunsAroundThem() {
        AllocatedRuns runs = new AllocatedRuns(range("198.18.0.250-198.18.1.5"), true);
        for (int i = 0; i < 8; i++) {
            hold(runs, runs.firstFree().orElseThrow());
        }
        // .250-.254 and 1.1-1.3 with .255 and 1.0 skipped in between: one run.
        assertEquals(1, runs.runCount());
        assertEquals(Optional.of(ip("198.18.1.4")), runs.firstFree());
    }

    @Test
    void aHeldSkippedAddressKeepsItsRunWholeWhenFreed() {
        AllocatedRuns runs = new AllocatedRuns(range("198.18.0.250-198.18.1.5"), true);
        hold(runs, ip("198.18.0.254"));
        hold(runs, ip("198.18.1.0"));
        hold(runs, ip("198.18.1.1"));
        free(runs, ip("198.18.1.0"));
        assertEquals(1, runs.runCount());
        free(runs, ip("198.18.1.1"));
        assertEquals(1, runs.runCount());
        assertEquals(Optional.of(ip("198.18.0.250")), runs.firstFree());
    }

    @Test
    void aFullRangeHasNoFreeAddress() {
        AllocatedRuns runs = new AllocatedRuns(range("198.18.0.255-198.18.1.0"), true);
        assertEquals(Optional.empty(), runs.firstFree());
        AllocatedRuns two = new AllocatedRuns(range("198.18.0.1/32"), false);
        hold(two, ip("198.18.0.1"));
        assertEquals(Optional.empty(), two.firstFree());
    }

    @Test
    void theTopOfTheAddressSpaceIsAllocatable() {
        AllocatedRuns runs = new AllocatedRuns(range("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"), false);
        hold(runs, runs.firstFree().orElseThrow());
        hold(runs, runs.firstFree().orElseThrow());
        assertEquals(Optional.empty(), runs.firstFree());
        free(runs, ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertEquals(Optional.of(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), runs.firstFree());
    }
}
