package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which announced IPs are due for their periodic gratuitous refresh in a span of time.
 *
 * <p>Each IP refreshes every period at its own phase, {@code hash(ip) mod period}, instead of
 * all IPs at once: 1,000 IPs on a 10 s period go out about 5 per 50 ms tick rather than 1,000
 * (2,000 frames) in one burst that a switch or the capture handle may drop. The phase depends
 * on the IP alone, so it is the same on every speaker and after a restart. Pure: the caller
 * passes the times.
 */
public final class GarpRefresh {

    /** How often the announcer asks which IPs are due. */
    public static final Duration TICK = Duration.ofMillis(50);

    private GarpRefresh() {
    }

    /**
     * The IPs of {@code announced} with a refresh instant in {@code (fromMillis, toMillis]}.
     *
     * @param periods  the period of IPs whose advertisements set one
     * @param fallback the period of every other IP (the speaker's {@code --garp-refresh}); empty: none
     */
    public static List<IpAddress> due(Collection<IpAddress> announced, Map<IpAddress, Duration> periods,
            Optional<Duration> fallback, long fromMillis, long toMillis) {
        List<IpAddress> out = new ArrayList<>();
        if (toMillis <= fromMillis || (periods.isEmpty() && fallback.isEmpty())) {
            return out;
        }
        for (IpAddress ip : announced) {
            Duration period = periods.get(ip);
            if (period == null) {
                if (fallback.isEmpty()) {
                    continue;
                }
                period = fallback.get();
            }
            long p = Math.max(1, period.toMillis());
            long phase = phaseMillis(ip, p);
            if (Math.floorDiv(toMillis - phase, p) > Math.floorDiv(fromMillis - phase, p)) {
                out.add(ip);
            }
        }
        return out;
    }

    /** Where in each period {@code ip} refreshes: a fixed, well-spread offset in {@code [0, period)}. */
    static long phaseMillis(IpAddress ip, long periodMillis) {
        long z = ip.hi() * 0x9E3779B97F4A7C15L ^ ip.lo();
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return Long.remainderUnsigned(z, periodMillis);
    }
}
