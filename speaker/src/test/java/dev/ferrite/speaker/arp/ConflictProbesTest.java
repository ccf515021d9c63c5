package dev.ferrite.speaker.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConflictProbesTest {

    private static final long TICK = ConflictProbes.TICK.toMillis();

    private static List<IpAddress> ips(int n) {
        return IntStream.range(0, n).mapToObj(i -> IpAddress.ofV4(0xC6120000L + i)).toList();
    }

    @Test
    void aSecondUpToTheRateThenLongerUpToFiveSeconds() {
        assertEquals(Duration.ofSeconds(1), ConflictProbes.period(0));
        assertEquals(Duration.ofSeconds(1), ConflictProbes.period(1));
        assertEquals(Duration.ofSeconds(1), ConflictProbes.period(50));
        assertEquals(Duration.ofMillis(1020), ConflictProbes.period(51));
        assertEquals(Duration.ofSeconds(2), ConflictProbes.period(100));
        assertEquals(Duration.ofMillis(4980), ConflictProbes.period(249));
        assertEquals(Duration.ofSeconds(5), ConflictProbes.period(250));
        assertEquals(Duration.ofSeconds(5), ConflictProbes.period(333));
        assertEquals(Duration.ofSeconds(5), ConflictProbes.period(10_000));
    }

    /** Ticks over {@code millis}; how often each IP was probed, and the most probes of one tick. */
    private static int run(List<IpAddress> ips, Map<IpAddress, Integer> seen, long millis) {
        long start = 1_700_000_000_017L;
        int most = 0;
        for (long t = start; t < start + millis; t += TICK) {
            List<IpAddress> due = ConflictProbes.due(ips, t, t + TICK);
            most = Math.max(most, due.size());
            due.forEach(ip -> seen.merge(ip, 1, Integer::sum));
        }
        return most;
    }

    @Test
    void fewIpsAreEachProbedOnceASecond() {
        List<IpAddress> ips = ips(50);
        Map<IpAddress, Integer> seen = new HashMap<>();
        int most = run(ips, seen, 10_000);
        assertEquals(50, seen.size());
        seen.forEach((ip, n) -> assertEquals(10, n, ip + " in 10 s"));
        assertEquals(50, most, "a one-second period: every IP at each once-a-second tick");
    }

    @Test
    void manyIpsStayWithinTheRateAndEachIsProbedAtLeastEveryFiveSeconds() {
        List<IpAddress> ips = ips(150);
        Map<IpAddress, Integer> seen = new HashMap<>();
        int most = run(ips, seen, 30_000);
        assertTrue(most < 100, "150 IPs on a 3 s period spread over its three ticks, at most " + most + " in one");
        assertEquals(150, seen.size());
        seen.forEach((ip, n) -> assertEquals(10, n, ip + " in 30 s, every 3 s"));
        int probes = seen.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(1500, probes, "150 IPs: 50 probes a second, not 150");

        List<IpAddress> thousand = ips(1000);
        Map<IpAddress, Integer> seenThousand = new HashMap<>();
        run(thousand, seenThousand, 10_000);
        seenThousand.forEach((ip, n) -> assertEquals(2, n, ip + " in 10 s, every 5 s"));
        int total = seenThousand.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(2000, total, "1,000 IPs: 200 probes a second, not 1,000");
    }
}
