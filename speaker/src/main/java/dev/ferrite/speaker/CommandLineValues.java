package dev.ferrite.speaker;

import dev.ferrite.api.net.IpAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Parsers for the speaker's flag values. Wrong values are reported by picocli with the flag
 * name and this message, never as a stack trace.
 */
public final class CommandLineValues {

    private CommandLineValues() {
    }

    /** {@code 250ms}, {@code 3s}, {@code 1m}, or ISO-8601 ({@code PT3S}). */
    public static final class DurationValue implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            String t = text.trim();
            try {
                Duration d;
                if (t.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                } else if (t.endsWith("s")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
                } else if (t.endsWith("m") && !t.startsWith("P")) {
                    d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
                } else {
                    d = Duration.parse(t);
                }
                if (d.isNegative()) {
                    throw new CommandLine.TypeConversionException("'" + text + "' is negative");
                }
                return d;
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration such as 250ms, 3s or 1m");
            }
        }
    }

    /** {@code host:port}, {@code [v6]:port}; the host may be a name (resolved once) or a literal. */
    static final class SocketAddressValue implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String text) {
            return parse(text);
        }

        static InetSocketAddress parse(String text) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not host:port");
            }
            String host = t.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new CommandLine.TypeConversionException("'" + text + "': write IPv6 addresses as [address]:port");
            }
            int port;
            try {
                port = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "': port is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new CommandLine.TypeConversionException("'" + text + "': port must be 1 to 65535");
            }
            var literal = IpAddress.parse(host);
            return literal.isPresent() ? new InetSocketAddress(literal.get().toInetAddress(), port)
                    : new InetSocketAddress(host, port);
        }
    }
}
