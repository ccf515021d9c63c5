package dev.ferrite.api.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An IPv4 or IPv6 address as a 128-bit unsigned number (two longs), so that pools as large
 * as an IPv6 /64 can be walked, compared and counted without allocating per address.
 * IPv4 addresses use only the low 32 bits of {@code lo}.
 */
public record IpAddress(IpFamily family, long hi, long lo) implements Comparable<IpAddress> {

    public IpAddress {
        Objects.requireNonNull(family, "family");
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
     * empty. IPv4 must be a dotted quad of ASCII decimal octets without leading zeros (as Go's
     * net.ParseIP since 1.17, so {@code 010.0.0.1} is not silently read as octal elsewhere).
     * IPv6 is any RFC 4291 text form without a zone, including a dotted-quad tail
     * ({@code ::ffff:198.18.0.1} stays IPv6).
     */
    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0) {
            return parseV4(text).stream().mapToObj(IpAddress::ofV4).findFirst();
        }
        return parseV6(text);
    }

    /** The dotted quad's value, or empty; only ASCII digits count (not other Unicode digits). */
    private static OptionalLong parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return OptionalLong.empty();
            }
            int octet = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    return OptionalLong.empty();
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return OptionalLong.empty();
            }
            value = (value << 8) | octet;
        }
        return OptionalLong.of(value);
    }

    /**
     * RFC 4291 section 2.2: eight groups of 1-4 hex digits; one "::" stands for one or more
     * zero groups; the last 32 bits may be written as a dotted quad. Written by hand because
     * InetAddress.getByName falls back to a DNS lookup for some malformed inputs.
     */
    private static Optional<IpAddress> parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = new int[8];
        int[] tailGroups = new int[8];
        int headCount = parseGroups(head, headGroups, gap < 0);
        int tailCount = gap >= 0 ? parseGroups(tail, tailGroups, true) : 0;
        if (headCount < 0 || tailCount < 0) {
            return Optional.empty();
        }
        int total = headCount + tailCount;
        if (gap < 0 ? total != 8 : total > 7) {
            return Optional.empty();
        }
        int[] groups = new int[8];
        System.arraycopy(headGroups, 0, groups, 0, headCount);
        System.arraycopy(tailGroups, 0, groups, 8 - tailCount, tailCount);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[4 + i];
        }
        return Optional.of(new IpAddress(IpFamily.IPv6, hi, lo));
    }

    /**
     * Fills {@code out} with the colon-separated groups of {@code part} and returns how many
     * there are, or -1 when malformed. An empty part has no groups. A dotted quad is allowed
     * only as the last group of the whole address ({@code endsAddress}) and counts as two.
     */
    private static int parseGroups(String part, int[] out, boolean endsAddress) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] fields = part.split(":", -1);
        int n = 0;
        for (int f = 0; f < fields.length; f++) {
            String field = fields[f];
            boolean last = f == fields.length - 1;
            if (last && endsAddress && field.indexOf('.') >= 0) {
                OptionalLong v4 = parseV4(field);
                if (v4.isEmpty() || n + 2 > out.length) {
                    return -1;
                }
                out[n++] = (int) (v4.getAsLong() >>> 16);
                out[n++] = (int) (v4.getAsLong() & 0xFFFF);
                continue;
            }
            if (field.isEmpty() || field.length() > 4 || n + 1 > out.length) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < field.length(); i++) {
                int d = hexDigit(field.charAt(i));
                if (d < 0) {
                    return -1;
                }
                value = (value << 4) | d;
            }
            out[n++] = value;
        }
        return n;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
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

    /** The first address of the prefix of this length that holds this address (host bits cleared). */
    public IpAddress network(int prefixLength) {
        checkPrefixLength(prefixLength);
        if (family == IpFamily.IPv4) {
            return ofV4(lo & ~lowBits(32 - prefixLength));
        }
        return new IpAddress(family, hi & ~lowBits(Math.max(0, 64 - prefixLength)),
                lo & ~lowBits(Math.min(64, 128 - prefixLength)));
    }

    /** The last address of the prefix of this length that holds this address (host bits set). */
    public IpAddress broadcast(int prefixLength) {
        checkPrefixLength(prefixLength);
        if (family == IpFamily.IPv4) {
            return ofV4(lo | lowBits(32 - prefixLength));
        }
        return new IpAddress(family, hi | lowBits(Math.max(0, 64 - prefixLength)),
                lo | lowBits(Math.min(64, 128 - prefixLength)));
    }

    private void checkPrefixLength(int prefixLength) {
        if (prefixLength < 0 || prefixLength > family.bits()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + family);
        }
    }

    /** A long with the lowest {@code n} bits set, 0 ≤ n ≤ 64. */
    private static long lowBits(int n) {
        return n == 64 ? -1L : (1L << n) - 1;
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
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            // RFC 5952 section 5: IPv4-mapped addresses keep their dotted-quad tail.
            return "::ffff:" + ofV4(lo & 0xFFFF_FFFFL);
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
