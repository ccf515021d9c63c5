package dev.ferrite.lab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProberTest {

    @Test
    void theAnsweringNodeIsReadFromTheBody() {
        String answer = "HTTP/1.1 200 OK\r\nContent-type: text/plain\r\nContent-length: 11\r\n\r\nnode=node1\n";
        assertEquals(Optional.of("node1"), Prober.nodeIn(answer));
    }

    @Test
    void answersThatAreNotAHealthyBackendNameNoNode() {
        assertEquals(Optional.empty(), Prober.nodeIn("HTTP/1.1 503 Service Unavailable\r\n\r\nnode=node1\n"));
        assertEquals(Optional.empty(), Prober.nodeIn("HTTP/1.1 200 OK\r\n\r\nhello\n"));
        assertEquals(Optional.empty(), Prober.nodeIn("HTTP/1.1 200 OK\r\nnode=node1"));
    }
}
