package dev.ferrite.controller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // the controller in a process of its own: its memory, not the benchmark's
        for (String positive : List.of("controller_process_seconds_to_all_allocated", "controller_process_rss_mb_allocated",
                "controller_process_seconds_to_all_annotated", "controller_process_rss_mb_annotated",
                "controller_process_peak_rss_mb")) {
            assertTrue(figures.getOrDefault(positive, 0.0) > 0, positive + " missing or not positive in " + json);
        }
        assertTrue(figures.get("controller_process_rss_mb_allocated") <= figures.get("controller_process_peak_rss_mb"), json);
        assertTrue(figures.get("controller_process_rss_mb_allocated") < figures.get("rss_mb"),
                "the controller alone holds less than the benchmark's JVM with the server in it: " + json);
        assertTrue(json.contains("\"controller_process_jvm_options\": \"-XX:MaxRAM=512m"), json);
    }

    @Test
    void theProcessRunAloneReportsTheControllersMemory() {
        String json = BenchOutput.json(new AllocateBenchCommand(), "--services", "20", "--process-only", "--json",
                "--timeout-seconds", "120");
        Map<String, Double> figures = BenchOutput.numbers(json);
        assertTrue(figures.getOrDefault("controller_process_rss_mb_annotated", 0.0) > 0, json);
        assertFalse(figures.containsKey("floor_per_s"), "no in-process run: " + json);
    }
}
