package dev.ferrite.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTest {

    @Test
    void aFailingCommandsErrorNamesTheCommandExitCodeAndStderr() {
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> Command.of("/bin/sh", "-c", "echo 'RTNETLINK answers: File exists' >&2; exit 2").runOrThrow());
        assertEquals("/bin/sh -c echo 'RTNETLINK answers: File exists' >&2; exit 2: exit 2: RTNETLINK answers: File exists",
                e.getMessage());
    }

    @Test
    void aCommandThatOutlivesItsBoundIsKilledAndReportedAsTimedOut() {
        CommandResult r = Command.of("sleep", "30").withTimeout(Duration.ofMillis(200)).run();
        assertTrue(r.timedOut());
        assertFalse(r.succeeded());
        assertTrue(r.describe().contains("no answer within 200 ms"), r.describe());
    }

    @Test
    void aMissingProgramIsAResultNotACrash() {
        CommandResult r = Command.of("/nonexistent/ip", "link").run();
        assertFalse(r.succeeded());
        assertTrue(r.describe().contains("cannot start"), r.describe());
    }

    @Test
    void outputIsCaptured() {
        assertEquals("hello\n", Command.of("echo", "hello").runOrThrow());
    }
}
