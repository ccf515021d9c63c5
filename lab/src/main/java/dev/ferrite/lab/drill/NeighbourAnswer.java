package dev.ferrite.lab.drill;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One claim seen on the client's wire that an IP lives at a MAC: an ARP reply, a gratuitous
 * ARP request (sender IP = target IP) or an IPv6 Neighbor Advertisement. Parsed from
 * {@code tcpdump -l -n -e} lines, which print the Ethernet source first.
 */
public record NeighbourAnswer(long atNanos, String ip, String mac) {

    private static final Pattern ETH_SRC = Pattern.compile("^(?:\\S+\\s+)?([0-9a-f]{2}(?::[0-9a-f]{2}){5}) > ");
    private static final Pattern ARP_REPLY = Pattern.compile("Reply (\\S+) is-at ([0-9a-f]{2}(?::[0-9a-f]{2}){5})");
    private static final Pattern GARP = Pattern.compile("Request who-has (\\S+) tell (\\S+?),");
    private static final Pattern NA = Pattern.compile("neighbor advertisement, tgt is (\\S+?),");

    public static Optional<NeighbourAnswer> parse(long atNanos, String line) {
        Matcher reply = ARP_REPLY.matcher(line);
        if (reply.find()) {
            return Optional.of(new NeighbourAnswer(atNanos, reply.group(1), reply.group(2)));
        }
        Matcher src = ETH_SRC.matcher(line);
        if (!src.find()) {
            return Optional.empty();
        }
        Matcher garp = GARP.matcher(line);
        if (garp.find() && garp.group(1).equals(garp.group(2))) {
            return Optional.of(new NeighbourAnswer(atNanos, garp.group(1), src.group(1)));
        }
        Matcher na = NA.matcher(line);
        if (na.find()) {
            return Optional.of(new NeighbourAnswer(atNanos, na.group(1), src.group(1)));
        }
        return Optional.empty();
    }
}
