package dev.ferrite.api.config;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import java.util.Optional;

/**
 * Reads one entry of an IPAddressPool's {@code addresses}, the same forms MetalLB accepts:
 * <ul>
 *   <li>a CIDR, {@code 198.18.0.0/24} or {@code 2001:db8::/120}. Host bits are accepted and
 *   masked away, as Go's {@code net.ParseCIDR} does for MetalLB: {@code 198.18.0.77/24} means
 *   {@code 198.18.0.0-198.18.0.255};</li>
 *   <li>an inclusive range {@code first-last} of one family, spaces around {@code -} allowed;</li>
 *   <li>a single address only as {@code /32}, {@code /128} or {@code a-a}: a bare address is
 *   rejected because it is more often a forgotten prefix length than a one-address pool.</li>
 * </ul>
 * Whitespace around an entry, and around the {@code -} of a range, is ignored. An entry that
 * lies wholly inside {@code ::ffff:0:0/96} (IPv4-mapped IPv6) is read as the IPv4 range it
 * maps, as MetalLB reads it.
 * Addresses are literals only ({@link IpAddress#parse}); a name is never resolved.
 * Used by the config parser, the admission webhook and the MetalLB import.
 */
public final class AddressParser {

    static final String FORMS = "write a CIDR (198.18.0.0/24, 2001:db8::/120), a range (198.18.0.10-198.18.0.20) "
            + "or one address as 198.18.0.10/32 or 2001:db8::10/128";

    private AddressParser() {
    }

    public static ParsedRange parse(String text) {
        ParsedRange parsed = parseAsWritten(text);
        if (parsed instanceof ParsedRange.Ok ok && isV4Mapped(ok.range())) {
            IpRange r = ok.range();
            return new ParsedRange.Ok(new IpRange(IpAddress.ofV4(r.first().lo()), IpAddress.ofV4(r.last().lo())));
        }
        return parsed;
    }

    /**
     * Both ends inside {@code ::ffff:0:0/96}: IPv4 addresses written as IPv6. Go's {@code net}
     * package, and so MetalLB, treats them as IPv4 (a pool {@code ::ffff:10.0.0.0/104} overlaps
     * {@code 10.0.0.0/8}), and so does Ferrite: such an entry is the IPv4 range.
     */
    static boolean isV4Mapped(IpRange r) {
        return r.family() == IpFamily.IPv6 && mapped(r.first()) && mapped(r.last());
    }

    private static boolean mapped(IpAddress a) {
        return a.hi() == 0 && (a.lo() >>> 32) == 0xFFFFL;
    }

    private static ParsedRange parseAsWritten(String text) {
        if (text == null || text.isBlank()) {
            return new ParsedRange.Rejected("is empty; " + FORMS);
        }
        String entry = text.strip();
        int dash = entry.indexOf('-');
        int slash = entry.indexOf('/');
        // "198.18.0.0/-1" is a CIDR with a negative prefix length, not a range.
        boolean negativePrefix = slash >= 0 && dash == slash + 1;
        if (dash >= 0 && !negativePrefix) {
            return parseRange(entry, dash);
        }
        if (slash >= 0) {
            return parseCidr(entry, slash);
        }
        Optional<IpAddress> bare = IpAddress.parse(entry);
        if (bare.isPresent()) {
            String prefix = bare.get().family() == IpFamily.IPv4 ? "/32" : "/128";
            return new ParsedRange.Rejected("is a single address without a prefix length; write " + entry + prefix
                    + " (or " + entry + "-" + entry + ") for a pool of one address, or give the network's prefix length");
        }
        return new ParsedRange.Rejected("is not an IP address, CIDR or range; " + FORMS);
    }

    private static ParsedRange parseRange(String entry, int dash) {
        if (entry.indexOf('-', dash + 1) >= 0) {
            return new ParsedRange.Rejected("is not an IP address, CIDR or range (a range has one '-'); " + FORMS);
        }
        String firstText = entry.substring(0, dash).strip();
        String lastText = entry.substring(dash + 1).strip();
        if (firstText.indexOf('/') >= 0 || lastText.indexOf('/') >= 0) {
            return new ParsedRange.Rejected("mixes a range and a CIDR; the ends of a range are plain addresses, "
                    + "e.g. 198.18.0.10-198.18.0.20");
        }
        Optional<IpAddress> first = IpAddress.parse(firstText);
        if (first.isEmpty()) {
            return new ParsedRange.Rejected("range start \"" + firstText + "\" is not an IP address");
        }
        Optional<IpAddress> last = IpAddress.parse(lastText);
        if (last.isEmpty()) {
            return new ParsedRange.Rejected("range end \"" + lastText + "\" is not an IP address");
        }
        IpAddress a = first.get();
        IpAddress b = last.get();
        if (a.family() != b.family()) {
            return new ParsedRange.Rejected("range mixes " + a.family() + " and " + b.family()
                    + "; list each family's range as its own entry");
        }
        if (a.compareTo(b) > 0) {
            return new ParsedRange.Rejected("range is reversed: start " + a + " is after end " + b
                    + "; write " + b + "-" + a);
        }
        return new ParsedRange.Ok(new IpRange(a, b));
    }

    private static ParsedRange parseCidr(String entry, int slash) {
        String addressText = entry.substring(0, slash).strip();
        String lengthText = entry.substring(slash + 1).strip();
        Optional<IpAddress> address = IpAddress.parse(addressText);
        if (address.isEmpty()) {
            return new ParsedRange.Rejected("\"" + addressText + "\" is not an IP address; " + FORMS);
        }
        IpFamily family = address.get().family();
        int length = prefixLength(lengthText);
        if (length < 0 || length > family.bits()) {
            return new ParsedRange.Rejected("prefix length \"" + lengthText + "\" is not a number from 0 to "
                    + family.bits() + " as " + family + " needs");
        }
        return new ParsedRange.Ok(IpRange.ofPrefix(address.get(), length));
    }

    /** The decimal value of 1-3 ASCII digits, or -1. */
    private static int prefixLength(String text) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
