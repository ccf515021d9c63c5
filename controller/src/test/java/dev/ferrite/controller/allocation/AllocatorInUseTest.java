package dev.ferrite.controller.allocation;

import static dev.ferrite.controller.allocation.Fixtures.config;
import static dev.ferrite.controller.allocation.Fixtures.ip;
import static dev.ferrite.controller.allocation.Fixtures.pool;
import static dev.ferrite.controller.allocation.Fixtures.svc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.controller.allocation.AllocationResult.Allocated;
import dev.ferrite.controller.allocation.AllocationResult.Pending;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Addresses a speaker's probe found in use outside the cluster (Allocator.setInUse). */
class AllocatorInUseTest {

    private static final String WHY = "02:00:00:00:00:99 answered node-1's probe";

    private static String firstIp(AllocationResult r) {
        assertInstanceOf(Allocated.class, r, () -> "expected an allocation, got " + r);
        return ((Allocated) r).ips().get(0).toString();
    }

    private static Allocator lab() {
        return new Allocator(config(pool("lab", "198.18.0.10-198.18.0.13")));
    }

    @Test
    void anAddressInUseIsNeverHandedOut() {
        Allocator a = lab();
        assertEquals(Set.of(), a.setInUse(Map.of(ip("198.18.0.10"), WHY)));
        assertEquals("198.18.0.11", firstIp(a.assign(svc("default/a").build())));
        assertEquals("198.18.0.12", firstIp(a.assign(svc("default/b").build())));
    }

    @Test
    void anAutoAssignedServiceOnAnAddressFoundInUseMovesToAnotherFreeAddressOfItsPool() {
        Allocator a = lab();
        assertEquals("198.18.0.10", firstIp(a.assign(svc("default/web").build())));
        assertEquals(Set.of("default/web"), a.setInUse(Map.of(ip("198.18.0.10"), WHY)), "web must be allocated again");
        assertEquals("198.18.0.11", firstIp(a.assign(svc("default/web").build())));
        assertEquals("198.18.0.12", firstIp(a.assign(svc("default/other").build())), "the taken address stays blocked");
    }

    @Test
    void aServiceThatRequestedAnAddressInUseStaysPendingWithTheReason() {
        Allocator a = lab();
        assertEquals("198.18.0.12", firstIp(a.assign(svc("default/web").requesting("198.18.0.12").build())));
        a.setInUse(Map.of(ip("198.18.0.12"), WHY));
        Pending p = assertInstanceOf(Pending.class, a.assign(svc("default/web").requesting("198.18.0.12").build()));
        assertEquals("requested IP 198.18.0.12 is in use by a host outside the cluster (" + WHY + ")", p.reason());
        assertTrue(a.allocationOf("default/web").isEmpty());
    }

    @Test
    void anAddressReportedFreeAgainIsHandedOutAgain() {
        Allocator a = lab();
        a.setInUse(Map.of(ip("198.18.0.10"), WHY));
        assertEquals("198.18.0.11", firstIp(a.assign(svc("default/a").build())));
        a.setInUse(Map.of());
        assertEquals("198.18.0.10", firstIp(a.assign(svc("default/b").build())));
        assertEquals("198.18.0.12", firstIp(a.assign(svc("default/c").build())));
    }

    @Test
    void theRequestedAddressIsGrantedOnceFree() {
        Allocator a = lab();
        a.setInUse(Map.of(ip("198.18.0.12"), WHY));
        assertInstanceOf(Pending.class, a.assign(svc("default/web").requesting("198.18.0.12").build()));
        a.setInUse(Map.of());
        assertEquals("198.18.0.12", firstIp(a.assign(svc("default/web").requesting("198.18.0.12").build())));
    }

    @Test
    void aReleasedAddressThatIsInUseStaysBlocked() {
        Allocator a = lab();
        assertEquals("198.18.0.10", firstIp(a.assign(svc("default/web").build())));
        a.setInUse(Map.of(ip("198.18.0.10"), WHY));
        a.release("default/web");
        assertEquals("198.18.0.11", firstIp(a.assign(svc("default/other").build())));
    }

    @Test
    void poolStatusCountsAnAddressInUseAsNotAvailableAndListsIt() {
        Allocator a = lab();
        a.setInUse(Map.of(ip("198.18.0.13"), WHY, ip("198.19.0.1"), WHY));
        assertEquals(BigInteger.valueOf(3), a.usage("lab").availableV4());
        assertEquals(0, a.usage("lab").assignedV4());
        assertEquals(Map.of(ip("198.18.0.13"), WHY), a.inUse("lab"), "only the pool's own addresses");
    }

    @Test
    void aNewConfigurationKeepsTheAddressBlocked() {
        Allocator a = lab();
        a.assign(svc("default/a").build());
        a.setInUse(Map.of(ip("198.18.0.11"), WHY));
        a.setConfig(config(pool("lab", "198.18.0.10-198.18.0.14")));
        assertEquals("198.18.0.12", firstIp(a.assign(svc("default/b").build())));
        assertEquals(Map.of(ip("198.18.0.11"), WHY), a.inUse("lab"));
    }

    @Test
    void restoreRefusesAnAddressInUse() {
        Allocator a = lab();
        a.setInUse(Map.of(ip("198.18.0.10"), WHY));
        assertInstanceOf(Pending.class, a.restore(svc("default/web").build(), java.util.List.of(ip("198.18.0.10"))));
    }
}
