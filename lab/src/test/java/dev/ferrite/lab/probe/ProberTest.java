package dev.ferrite.lab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProberTest {

    @Test
    void theAnsweringNodeIsReadFromTheBody() {
        String answer = "HTTP/1.1 200 OK\r\nContent-type: text/plain\r\nContent-length: 11\r\n\r\nnode=node1\n";
        assertEquals(Optional.of("node1"), Prober.nodeIn(answer));
    }

    @Test
    void theVipsGridsAreSpreadEvenlyOverTheInterval() {
        long interval = 100_000_000;
        assertEquals(0, Prober.phaseNanos(0, 1, interval));
        assertEquals(0, Prober.phaseNanos(0, 4, interval));
        assertEquals(25_000_000, Prober.phaseNanos(1, 4, interval));
        assertEquals(75_000_000, Prober.phaseNanos(3, 4, interval));
        for (int i = 0; i < 100; i++) {
            long phase = Prober.phaseNanos(i, 100, interval);
            assertEquals(i * 1_000_000L, phase);
            assertTrue(phase < interval);
        }
    }

    @Test
    void answersThatAreNotAHealthyBackendNameNoNode() {
        assertEquals(Optional.empty(), Prober.nodeIn("HTTP/1.1 503 Service Unavailable\r\n\r\nnode=node1\n"));
        assertEquals(Optional.empty(), Prober.nodeIn("HTTP/1.1 200 OK\r\n\r\nhello\n"));
        assertEquals(Optional.empty(), Prober.nodeIn("HTTP/1.1 200 OK\r\nnode=node1"));
    }
}
