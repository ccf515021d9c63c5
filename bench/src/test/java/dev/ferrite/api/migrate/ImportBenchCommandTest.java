package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.bench.BenchOutput;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The import benchmark runs the real command in a child JVM and reports every figure. */
class ImportBenchCommandTest {

    private static final Pattern TEXT = Pattern.compile("\"([a-z0-9_]+)\": \"([^\"]*)\"");

    @Test
    void theGeneratedListConvertsAsAWhole() throws Exception {
        StringWriter yaml = new StringWriter();
        LargeMetallbList.write(300, yaml);
        ImportResult r = MetallbImport.convert(yaml.toString(), Optional.empty());
        ImportResult.Converted c = (ImportResult.Converted) r;
        assertEquals(301, c.documents().size());
        assertTrue(c.findings().isEmpty(), c.findings()::toString);
        assertTrue(yaml.toString().length() / 300 > 600, "about 650 bytes a pool, as kubectl prints them");
    }

    @Test
    void aSmallRunReportsEveryFigureAsOneJsonObject() {
        String json = BenchOutput.json(new ImportBenchCommand(), "--pools", "200", "--runs", "1", "--heap", "128m",
                "--jvm-option", "-XX:+UseSerialGC", "--json", "--timeout-seconds", "120");
        Map<String, Double> figures = BenchOutput.numbers(json);
        Matcher m;
        Map<String, String> texts = new HashMap<>();
        m = TEXT.matcher(json);
        while (m.find()) {
            texts.put(m.group(1), m.group(2));
        }
        assertEquals(200.0, figures.get("pools"));
        assertEquals(200.0, figures.get("pools_written"));
        for (String positive : List.of("input_bytes", "wall_seconds", "command_seconds", "heap_peak_mib", "peak_rss_mib",
                "output_bytes")) {
            assertTrue(figures.getOrDefault(positive, 0.0) > 0, positive + " missing or not positive in " + json);
        }
        assertEquals(128.0, figures.get("heap_max_mib"), 8.0, json);
        assertTrue(figures.get("heap_peak_mib") <= figures.get("heap_max_mib") + 1, json);
        assertTrue(figures.get("command_seconds") <= figures.get("wall_seconds"), json);
        assertEquals("-Xmx128m -XX:+UseSerialGC", texts.get("jvm_options"), json);
        assertTrue(json.contains("\"wall_seconds_runs\": ["), json);
    }
}
