package dev.ferrite.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void onATerminalRewritesOneLineAndBlanksLeftoversOfLongerText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine p = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.show(1, 15, "crash run 1/3: waiting for a steady lab");
        p.show(2, 15, "crash run 1/3: ok");
        p.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one terminal line");
        assertEquals("\r[ 1/15] crash run 1/3: waiting for a steady lab\r[ 2/15] crash run 1/3: ok"
                + " ".repeat(22) + "\n", out);
    }

    @Test
    void inALogPrintsEachUpdateOnItsOwnLineAndOmitsAMissingCounter() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine p = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.show(3, 5, "drain run 1/1: injecting on node2");
        p.show(0, 0, "building lab");
        assertEquals("[3/5] drain run 1/1: injecting on node2\nbuilding lab\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
