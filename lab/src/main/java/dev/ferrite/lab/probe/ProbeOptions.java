package dev.ferrite.lab.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the client probe does: which VIPs, how often, with which timeouts, and when it
 * stops (after {@code count} probes per VIP or after {@code duration}, whichever is first);
 * besides, {@code keepAlive} long-lived connections per VIP, each sending a request every
 * {@code keepAliveInterval} ({@link KeepAliveProber}; none by default).
 */
public record ProbeOptions(List<String> vips, int port, Duration interval, Duration connectTimeout,
                           Duration readTimeout, long count, Duration duration, int keepAlive, Duration keepAliveInterval) {

    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofMillis(10);

    public ProbeOptions(List<String> vips, int port, Duration interval, Duration connectTimeout,
                        Duration readTimeout, long count, Duration duration) {
        this(vips, port, interval, connectTimeout, readTimeout, count, duration, 0, DEFAULT_KEEPALIVE_INTERVAL);
    }

    /** The same probe with {@code perVip} long-lived connections per VIP, a request every {@code every}. */
    public ProbeOptions withKeepAlive(int perVip, Duration every) {
        return new ProbeOptions(vips, port, interval, connectTimeout, readTimeout, count, duration, perVip, every);
    }

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(50);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_DURATION = Duration.ofHours(1);

    public ProbeOptions {
        vips = List.copyOf(vips);
    }

    /** Every 5 ms, connect timeout 50 ms, read timeout 100 ms, port 80. */
    public static ProbeOptions of(List<String> vips, long count, Duration duration) {
        return new ProbeOptions(vips, 80, DEFAULT_INTERVAL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, count, duration);
    }

    /** Outcome of reading the command line. */
    public sealed interface Parsed {
        record Valid(ProbeOptions options) implements Parsed {
        }

        record Invalid(String message) implements Parsed {
        }
    }

    public static final String USAGE = "usage: ProbeMain --vip IP [--vip IP ...] [--port 80] [--interval-ms 5]"
            + " [--connect-timeout-ms 50] [--read-timeout-ms 100] [--count N] [--duration-ms D]"
            + " [--keepalive N] [--keepalive-interval-ms 10]";

    public static Parsed parse(String[] args) {
        List<String> vips = new ArrayList<>();
        long port = 80;
        long interval = DEFAULT_INTERVAL.toMillis();
        long connect = DEFAULT_CONNECT_TIMEOUT.toMillis();
        long read = DEFAULT_READ_TIMEOUT.toMillis();
        long count = Long.MAX_VALUE;
        long duration = Duration.ofSeconds(60).toMillis();
        long keepAlive = 0;
        long keepAliveInterval = DEFAULT_KEEPALIVE_INTERVAL.toMillis();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                return new Parsed.Invalid(flag + " needs a value; " + USAGE);
            }
            String value = args[++i];
            if (flag.equals("--vip")) {
                vips.add(value);
                continue;
            }
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return new Parsed.Invalid(flag + " \"" + value + "\": not a number");
            }
            switch (flag) {
                case "--port" -> port = n;
                case "--interval-ms" -> interval = n;
                case "--connect-timeout-ms" -> connect = n;
                case "--read-timeout-ms" -> read = n;
                case "--count" -> count = n;
                case "--duration-ms" -> duration = n;
                case "--keepalive" -> keepAlive = n;
                case "--keepalive-interval-ms" -> keepAliveInterval = n;
                default -> {
                    return new Parsed.Invalid("unknown flag \"" + flag + "\"; " + USAGE);
                }
            }
        }
        if (vips.isEmpty()) {
            return new Parsed.Invalid("at least one --vip is required; " + USAGE);
        }
        if (port < 1 || port > 65535) {
            return new Parsed.Invalid("--port \"" + port + "\": must be between 1 and 65535");
        }
        if (interval < 1 || connect < 1 || read < 1) {
            return new Parsed.Invalid("--interval-ms, --connect-timeout-ms and --read-timeout-ms must be at least 1");
        }
        if (count < 1) {
            return new Parsed.Invalid("--count \"" + count + "\": must be at least 1");
        }
        if (duration < 1 || duration > MAX_DURATION.toMillis()) {
            return new Parsed.Invalid("--duration-ms \"" + duration + "\": must be between 1 and " + MAX_DURATION.toMillis());
        }
        if (keepAlive < 0 || keepAlive > 64 || keepAliveInterval < 1) {
            return new Parsed.Invalid("--keepalive must be between 0 and 64, --keepalive-interval-ms at least 1");
        }
        return new Parsed.Valid(new ProbeOptions(vips, (int) port, Duration.ofMillis(interval),
                Duration.ofMillis(connect), Duration.ofMillis(read), count, Duration.ofMillis(duration),
                (int) keepAlive, Duration.ofMillis(keepAliveInterval)));
    }

    /** The command line that {@link #parse(String[])} reads back into these options. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        for (String v : vips) {
            args.add("--vip");
            args.add(v);
        }
        args.addAll(List.of("--port", Integer.toString(port),
                "--interval-ms", Long.toString(interval.toMillis()),
                "--connect-timeout-ms", Long.toString(connectTimeout.toMillis()),
                "--read-timeout-ms", Long.toString(readTimeout.toMillis()),
                "--duration-ms", Long.toString(duration.toMillis())));
        if (keepAlive > 0) {
            args.addAll(List.of("--keepalive", Integer.toString(keepAlive),
                    "--keepalive-interval-ms", Long.toString(keepAliveInterval.toMillis())));
        }
        if (count != Long.MAX_VALUE) {
            args.add("--count");
            args.add(Long.toString(count));
        }
        return args;
    }
}
