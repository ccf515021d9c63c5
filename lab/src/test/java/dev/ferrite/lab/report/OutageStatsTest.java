package dev.ferrite.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class OutageStatsTest {

    static List<Arguments> cases() {
        return List.of(
                Arguments.of(List.of(), 0L, 0L, 0L),
                Arguments.of(List.of(120L), 120L, 120L, 120L),
                Arguments.of(List.of(300L, 100L, 200L), 200L, 300L, 300L),
                Arguments.of(List.of(10L, 20L, 30L, 40L), 20L, 40L, 40L),
                // ten runs: p99 is the worst run, p50 the fifth
                Arguments.of(List.of(5L, 1L, 9L, 3L, 7L, 2L, 8L, 4L, 6L, 900L), 5L, 900L, 900L));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void percentilesAreNearestRankOverTheRuns(List<Long> outages, long p50, long p99, long max) {
        OutageStats s = OutageStats.of(outages);
        assertEquals(p50, s.p50(), "p50");
        assertEquals(p99, s.p99(), "p99");
        assertEquals(max, s.max(), "max");
        assertEquals(outages.size(), s.count());
    }

    @Test
    void p99OfTwoHundredRunsIgnoresOnlyTheTwoWorst() {
        List<Long> outages = new ArrayList<>();
        LongStream.rangeClosed(1, 200).forEach(outages::add);
        OutageStats s = OutageStats.of(outages);
        assertEquals(198, s.p99());
        assertEquals(100, s.p50());
        assertEquals(200, s.max());
    }
}
