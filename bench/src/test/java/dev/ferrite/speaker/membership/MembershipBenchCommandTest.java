package dev.ferrite.speaker.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.bench.BenchOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MembershipBenchCommandTest {

    @Test
    void refusesTimingsTheSpeakerWouldRefuseWithItsMessage() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new MembershipBenchCommand());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("--probe-interval", "200ms", "--suspicion-timeout", "400ms"));
        assertTrue(err.toString().contains("suspicionTimeout 400ms must be at least three probe intervals (600ms)"),
                err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, cl.execute("--probe-interval", "soon"));
        assertTrue(err.toString().contains("'soon' is not a duration"), err.toString());
    }

    /** Three members heartbeating every 200 ms: the crashed one leaves both other views, nobody else does. */
    @Test
    void runsTheMembersAtTheGivenInterval() {
        String json = BenchOutput.json(new MembershipBenchCommand(), "--members", "3", "--kills", "1", "--silences", "0",
                "--measure-seconds", "1", "--probe-interval", "200ms", "--suspicion-timeout", "600ms", "--json");
        assertTrue(json.contains("\"probeIntervalMillis\":200,\"suspicionTimeoutMillis\":600"), json);
        assertTrue(json.contains("\"crashDetectionMillis\":{\"count\":1,\"missed\":0,"), json);
        assertTrue(json.contains("\"falseRemovalsAfterConvergence\":0"), json);
    }
}
