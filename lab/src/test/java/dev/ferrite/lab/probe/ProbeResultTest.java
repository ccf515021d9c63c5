package dev.ferrite.lab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeResultTest {

    @Test
    void everyResultSurvivesTheJsonLineRoundTrip() {
        List<ProbeResult> results = List.of(
                new ProbeResult.Answered(123_456_789_012L, "198.18.0.200", "node1", Optional.of("02:00:c6:12:00:0b"), 412),
                new ProbeResult.Answered(5, "2001:db8::200", "node-\"2\"", Optional.empty(), 1),
                new ProbeResult.Failed(7, "198.18.0.201", "connect timeout", 50_123));
        for (ProbeResult r : results) {
            assertEquals(Optional.of(r), ProbeResult.parse(r.toJson()), r.toJson());
        }
    }

    @Test
    void theLineFormatIsOneCompactJsonObject() {
        assertEquals("{\"t\":10,\"vip\":\"198.18.0.200\",\"ok\":false,\"error\":\"refused\",\"us\":3}",
                new ProbeResult.Failed(10, "198.18.0.200", "refused", 3).toJson());
    }

    @Test
    void linesThatAreNotResultsAreSkipped() {
        for (String line : List.of("", "OpenJDK 64-Bit Server VM warning: x", "{\"t\":1}", "{broken")) {
            assertEquals(Optional.empty(), ProbeResult.parse(line), line);
        }
    }
}
