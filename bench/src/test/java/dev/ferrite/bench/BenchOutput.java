package dev.ferrite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Runs a benchmark command as the command line does and reads back its one line of JSON. */
public final class BenchOutput {

    private static final Pattern NUMBER = Pattern.compile("\"([a-z0-9_]+)\": ([-0-9.E]+)");

    private BenchOutput() {
    }

    /** The JSON the command printed, after checking it exited 0 and printed one object on one line. */
    public static String json(Object command, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(command).execute(args);
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exit);
        String json = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(json.startsWith("{") && json.endsWith("}") && json.lines().count() == 1, json);
        return json;
    }

    /** Every numeric field of {@code json}. */
    public static Map<String, Double> numbers(String json) {
        Map<String, Double> figures = new HashMap<>();
        Matcher m = NUMBER.matcher(json);
        while (m.find()) {
            figures.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return figures;
    }
}
