package dev.ferrite.controller.allocation;

import java.math.BigInteger;

/**
 * How much of one pool is in use, per family, for the pool's status and metrics. Totals are
 * BigIntegers because an IPv6 /64 holds 2^64 addresses. With {@code avoidBuggyIPs} the
 * IPv4 {@code .0} and {@code .255} addresses are not counted in the total nor as available.
 */
public record PoolUsage(
        long assignedV4,
        BigInteger availableV4,
        long assignedV6,
        BigInteger availableV6,
        BigInteger totalV4,
        BigInteger totalV6) {

    public static final PoolUsage NONE =
            new PoolUsage(0, BigInteger.ZERO, 0, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO);
}
