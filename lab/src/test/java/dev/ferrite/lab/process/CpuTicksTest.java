package dev.ferrite.lab.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuTicksTest {

    @Test
    void readsOwnAndChildrenTimeAfterACommandNameWithSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 900 1200 0 3 17 5 40 2 20 0 9 0 123 456 789\n";
        assertEquals(new CpuTicks(22, 42), CpuTicks.parse(stat));
    }

    @Test
    void aStatThatCannotBeReadIsEmpty() {
        assertTrue(CpuTicks.read(Path.of("/proc/no-such-process/stat")).isEmpty());
        assertTrue(CpuTicks.read(Path.of("/proc/self/status")).isEmpty(), "not a stat line");
    }
}
