package dev.ferrite.controller.statusview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanAgeTest {

    @ParameterizedTest(name = "{0} s reads {1}")
    @CsvSource({
        "0, 0s", "59, 59s", "60, 1m", "300, 5m", "3599, 59m", "3600, 1h", "10800, 3h", "86399, 23h",
        "86400, 1d", "172800, 2d", "31535999, 364d", "31536000, 1y", "-1, 0s", "-3600, 0s"})
    void agesReadLikeKubectl(long seconds, String expected) {
        assertEquals(expected, HumanAge.of(Duration.ofSeconds(seconds)));
    }

    @ParameterizedTest(name = "unknown creation time reads {0}")
    @CsvSource("<unknown>")
    void unknownCreationTimeSaysSo(String expected) {
        assertEquals(expected, HumanAge.of(Optional.empty(), Instant.EPOCH));
    }
}
