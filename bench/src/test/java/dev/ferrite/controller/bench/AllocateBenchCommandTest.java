package dev.ferrite.controller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.bench.BenchOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark command runs end to end on a small N and reports every figure. */
class AllocateBenchCommandTest {

    @Test
    void smallRunReportsEveryFigureAsOneJsonObject() {
        String json = BenchOutput.json(new AllocateBenchCommand(), "--services", "40", "--json", "--timeout-seconds", "120");
        Map<String, Double> figures = BenchOutput.numbers(json);
        assertEquals(40.0, figures.get("services"));
        for (String positive : List.of("floor_unobserved_per_s", "floor_per_s", "backlog_seconds_to_ready",
                "backlog_allocated_per_s", "allocated_per_s", "p50_create_to_status_ms", "p99_create_to_status_ms",
                "rss_mb", "ratio", "ratio_to_unobserved_floor", "streaming_ratio")) {
            assertTrue(figures.getOrDefault(positive, 0.0) > 0, positive + " missing or not positive in " + json);
        }
        assertTrue(figures.get("backlog_seconds_to_ready") <= figures.get("backlog_seconds_to_all_allocated"), json);
        assertTrue(figures.get("p50_create_to_status_ms") <= figures.get("p99_create_to_status_ms"), json);
        assertEquals(figures.get("backlog_allocated_per_s") / figures.get("floor_per_s"), figures.get("ratio"), 0.01, json);
    }
}
