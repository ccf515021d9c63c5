package dev.ferrite.controller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark command runs end to end on a small N and reports every figure. */
class AllocateBenchCommandTest {

    private static final Pattern FIELD = Pattern.compile("\"([a-z0-9_]+)\": ([-0-9.E]+)");

    @Test
    void smallRunReportsEveryFigureAsOneJsonObject() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new AllocateBenchCommand()).execute("--services", "40", "--json", "--timeout-seconds", "120");
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exit);
        String json = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(json.startsWith("{") && json.endsWith("}") && json.lines().count() == 1, json);
        Map<String, Double> figures = new HashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            figures.put(m.group(1), Double.parseDouble(m.group(2)));
        }
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
