package dev.ferrite.api.net;

import java.math.BigInteger;

/** An inclusive range of addresses of one family, as written in a pool's {@code addresses}. */
public record IpRange(IpAddress first, IpAddress last) implements Comparable<IpRange> {

    public IpRange {
        if (first.family() != last.family()) {
            throw new IllegalArgumentException("range mixes families: " + first + "-" + last);
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range reversed: " + first + "-" + last);
        }
    }

    /** The addresses of a CIDR prefix; host bits of {@code address} are ignored (masked away). */
    public static IpRange ofPrefix(IpAddress address, int prefixLength) {
        return new IpRange(address.network(prefixLength), address.broadcast(prefixLength));
    }

    /** A range of one address. */
    public static IpRange of(IpAddress address) {
        return new IpRange(address, address);
    }

    public IpFamily family() {
        return first.family();
    }

    public boolean contains(IpAddress a) {
        return a.family() == family() && first.compareTo(a) <= 0 && a.compareTo(last) <= 0;
    }

    public boolean overlaps(IpRange o) {
        return family() == o.family() && first.compareTo(o.last) <= 0 && o.first.compareTo(last) <= 0;
    }

    /** Number of addresses; a BigInteger because an IPv6 /64 holds 2^64. */
    public BigInteger size() {
        return last.toBigInteger().subtract(first.toBigInteger()).add(BigInteger.ONE);
    }

    @Override
    public int compareTo(IpRange o) {
        int c = first.compareTo(o.first);
        return c != 0 ? c : last.compareTo(o.last);
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
