package dev.ferrite.speaker.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GarpScheduleTest {

    @Test
    void defaultSendsAtOnceThenRepeatsForASecondWithoutRefresh() {
        assertEquals(List.of(0L, 50L, 200L, 500L, 1000L),
                GarpSchedule.DEFAULT.bursts().stream().map(Duration::toMillis).toList());
        assertEquals(Optional.empty(), GarpSchedule.DEFAULT.refresh());
    }

    @Test
    void refreshCanBeTurnedOn() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), GarpSchedule.DEFAULT.withRefresh(Duration.ofSeconds(30)).refresh());
    }

    @Test
    void rejectsSchedulesThatCannotBeMeant() {
        assertThrows(IllegalArgumentException.class,
                () -> new GarpSchedule(List.of(Duration.ofMillis(100), Duration.ofMillis(50)), Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new GarpSchedule(List.of(Duration.ofMillis(-1)), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> GarpSchedule.DEFAULT.withRefresh(Duration.ZERO));
    }
}
