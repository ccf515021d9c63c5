package dev.ferrite.speaker.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GarpRefreshTest {

    private static final List<IpAddress> THOUSAND = IntStream.range(0, 1000)
            .mapToObj(i -> IpAddress.ofV4(0xC6120000L + i)).toList();
    private static final long TICK = GarpRefresh.TICK.toMillis();

    /** How many IPs each tick of one period sends, ticking from {@code start}. */
    private static int[] perTick(List<IpAddress> ips, Map<IpAddress, Duration> periods, Optional<Duration> fallback,
            long start, long period) {
        int[] counts = new int[(int) (period / TICK)];
        for (int t = 0; t < counts.length; t++) {
            counts[t] = GarpRefresh.due(ips, periods, fallback, start + t * TICK, start + (t + 1) * TICK).size();
        }
        return counts;
    }

    @Test
    void offByDefaultNothingIsEverDue() {
        assertEquals(List.of(), GarpRefresh.due(THOUSAND, Map.of(), Optional.empty(), 0, 3_600_000));
    }

    @Test
    void everyIpIsRefreshedExactlyOncePerPeriod() {
        Map<IpAddress, Integer> seen = new HashMap<>();
        long start = 1_700_000_000_123L;
        for (long t = start; t < start + 10_000; t += TICK) {
            GarpRefresh.due(THOUSAND, Map.of(), Optional.of(Duration.ofSeconds(10)), t, t + TICK)
                    .forEach(ip -> seen.merge(ip, 1, Integer::sum));
        }
        assertEquals(1000, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), seen::toString);
    }

    @Test
    void aThousandIpsAreSpreadOverThePeriodNotSentInOneBurst() {
        int[] counts = perTick(THOUSAND, Map.of(), Optional.of(Duration.ofSeconds(10)), 1_700_000_000_000L, 10_000);
        int max = IntStream.of(counts).max().orElseThrow();
        // 1,000 IPs over 200 ticks: 5 per tick on average; never more than a few times that.
        assertTrue(max <= 20, "a tick sent " + max + " IPs");
        assertEquals(1000, IntStream.of(counts).sum());
    }

    @Test
    void evenAtTheShortestPeriodNoTickSendsMoreThanAFewPercent() {
        int[] counts = perTick(THOUSAND, Map.of(), Optional.of(Duration.ofSeconds(1)), 1_700_000_000_000L, 1_000);
        assertTrue(IntStream.of(counts).max().orElseThrow() <= 100, () -> java.util.Arrays.toString(counts));
    }

    @Test
    void anAdvertisementsPeriodOverridesTheSpeakersForItsIps() {
        IpAddress fast = THOUSAND.get(0);
        Map<IpAddress, Duration> periods = Map.of(fast, Duration.ofSeconds(1));
        long start = 1_700_000_000_000L;
        int fastCount = 0;
        int others = 0;
        for (long t = start; t < start + 10_000; t += TICK) {
            for (IpAddress ip : GarpRefresh.due(THOUSAND, periods, Optional.empty(), t, t + TICK)) {
                if (ip.equals(fast)) {
                    fastCount++;
                } else {
                    others++;
                }
            }
        }
        assertEquals(10, fastCount);
        assertEquals(0, others, "IPs without a period of their own follow the speaker's, which is off");
    }

    @Test
    void thePhaseOfAnIpIsTheSameEverywhere() {
        assertEquals(GarpRefresh.phaseMillis(THOUSAND.get(7), 30_000), GarpRefresh.phaseMillis(THOUSAND.get(7), 30_000));
        assertTrue(GarpRefresh.phaseMillis(THOUSAND.get(7), 30_000) < 30_000);
    }
}
