package dev.ferrite.controller.allocation;

import dev.ferrite.api.config.Pool;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One configured pool with its ranges and running counts. */
final class PoolState {
    final Pool pool;
    final List<AllocatedRuns> ranges = new ArrayList<>();
    final BigInteger usableV4;
    final BigInteger usableV6;
    long heldV4;
    long heldV6;
    /** Held .0/.255 addresses (restored or requested before avoidBuggyIPs was set). */
    long heldSkippedV4;

    PoolState(Pool pool) {
        this.pool = pool;
        BigInteger v4 = BigInteger.ZERO;
        BigInteger v6 = BigInteger.ZERO;
        for (IpRange r : pool.ranges()) {
            ranges.add(new AllocatedRuns(r, pool.avoidBuggyIPs()));
            if (r.family() == IpFamily.IPv4) {
                v4 = v4.add(r.size());
                if (pool.avoidBuggyIPs()) {
                    v4 = v4.subtract(BigInteger.valueOf(buggyCount(r.first().lo(), r.last().lo())));
                }
            } else {
                v6 = v6.add(r.size());
            }
        }
        usableV4 = v4;
        usableV6 = v6;
    }

    String name() {
        return pool.name();
    }

    boolean hasFamily(IpFamily f) {
        return pool.hasFamily(f);
    }

    Optional<IpAddress> firstFree(IpFamily f) {
        for (AllocatedRuns r : ranges) {
            if (r.range().family() == f) {
                Optional<IpAddress> a = r.firstFree();
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    void count(AllocatedRuns runs, IpAddress a, int delta) {
        if (a.family() == IpFamily.IPv4) {
            heldV4 += delta;
            if (runs.skipped(a)) {
                heldSkippedV4 += delta;
            }
        } else {
            heldV6 += delta;
        }
    }

    PoolUsage usage() {
        BigInteger freeV4 = usableV4.subtract(BigInteger.valueOf(heldV4 - heldSkippedV4)).max(BigInteger.ZERO);
        BigInteger freeV6 = usableV6.subtract(BigInteger.valueOf(heldV6)).max(BigInteger.ZERO);
        return new PoolUsage(heldV4, freeV4, heldV6, freeV6, usableV4, usableV6);
    }

    /** Number of IPv4 addresses ending in .0 or .255 in [first, last]. */
    private static long buggyCount(long first, long last) {
        return countWithLastOctet(first, last, 0) + countWithLastOctet(first, last, 255);
    }

    private static long countWithLastOctet(long first, long last, int octet) {
        return Math.floorDiv(last - octet, 256) - Math.floorDiv(first - 1 - octet, 256);
    }
}
