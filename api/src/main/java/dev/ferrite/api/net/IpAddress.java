package dev.ferrite.api.net;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a 128-bit unsigned number (two longs), so that pools as large
 * as an IPv6 /64 can be walked, compared and counted without allocating per address.
 * IPv4 addresses use only the low 32 bits of {@code lo}.
 */
public record IpAddress(IpFamily family, long hi, long lo) implements Comparable<IpAddress> {

    public IpAddress {
        if (family == IpFamily.IPv4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address out of range");
        }
    }

    public static IpAddress ofV4(long value) {
        return new IpAddress(IpFamily.IPv4, 0, value & 0xFFFF_FFFFL);
    }

    public static IpAddress of(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return ofV4(toLong(b, 0, 4));
        }
        return new IpAddress(IpFamily.IPv6, toLong(b, 0, 8), toLong(b, 8, 8));
    }

    /**
     * Parses an address literal. Never resolves names: anything that is not a literal is
     * empty. IPv4 must be a dotted quad without leading zeros; IPv6 is any RFC 4291 form
     * without a zone.
     */
    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0) {
            return parseV4(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
            if (!ok) {
                return Optional.empty();
            }
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            if (a instanceof Inet6Address) {
                return Optional.of(of(a));
            }
            // "::ffff:1.2.3.4" is returned by Java as IPv4; we keep it as IPv6 text is rejected.
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<IpAddress> parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return Optional.empty();
            }
            int octet = 0;
            for (int i = 0; i < p.length(); i++) {
                int d = Character.digit(p.charAt(i), 10);
                if (d < 0) {
                    return Optional.empty();
                }
                octet = octet * 10 + d;
            }
            if (octet > 255) {
                return Optional.empty();
            }
            value = (value << 8) | octet;
        }
        return Optional.of(ofV4(value));
    }

    private static long toLong(byte[] b, int from, int len) {
        long v = 0;
        for (int i = from; i < from + len; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] toBytes() {
        if (family == IpFamily.IPv4) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** The next address, or empty at the top of the family's space. */
    public Optional<IpAddress> next() {
        if (family == IpFamily.IPv4) {
            return lo == 0xFFFF_FFFFL ? Optional.empty() : Optional.of(ofV4(lo + 1));
        }
        if (lo == -1L) {
            return hi == -1L ? Optional.empty() : Optional.of(new IpAddress(family, hi + 1, 0));
        }
        return Optional.of(new IpAddress(family, hi, lo + 1));
    }

    /** The previous address, or empty at the bottom of the family's space. */
    public Optional<IpAddress> previous() {
        if (hi == 0 && lo == 0) {
            return Optional.empty();
        }
        if (lo == 0) {
            return Optional.of(new IpAddress(family, hi - 1, -1L));
        }
        return Optional.of(new IpAddress(family, hi, lo - 1));
    }

    public BigInteger toBigInteger() {
        return new BigInteger(1, toBytes());
    }

    public static IpAddress of(IpFamily family, BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > family.bits()) {
            throw new IllegalArgumentException("value out of range for " + family);
        }
        if (family == IpFamily.IPv4) {
            return ofV4(value.longValue());
        }
        return new IpAddress(family, value.shiftRight(64).longValue(), value.longValue());
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        if (family == IpFamily.IPv4) {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        return canonicalV6(toBytes());
    }

    /** RFC 5952 text: lower case, longest run of zero groups (length ≥ 2) as "::". */
    private static String canonicalV6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
