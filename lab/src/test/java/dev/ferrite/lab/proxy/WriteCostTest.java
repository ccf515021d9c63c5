package dev.ferrite.lab.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteCostTest {

    @BeforeEach
    void linux() {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "needs Linux's /proc/thread-self");
    }

    /** Keeps this thread busy for {@code millis} of the clock. */
    private static long spin(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long x = 0;
        while (System.nanoTime() < until) {
            x = x * 31 + 7;
        }
        return x;
    }

    @Test
    void countsTheThreadsCpuAndForgetsItOverIdleWrites() throws Exception {
        WriteCost cost = new WriteCost();
        assertEquals(0, cost.averageMillis());
        cost.begin();
        spin(400);
        cost.end();
        double busy = cost.averageMillis();
        assertTrue(busy >= 10, "400 ms of spinning counted: " + busy);
        cost.begin();
        Thread.sleep(200);
        cost.end();
        assertTrue(cost.averageMillis() < busy, "a write that only waited lowers the average: " + cost.averageMillis());
    }

    @Test
    void countsTheCpuOfTheProcessesAWriteRuns() throws Exception {
        WriteCost cost = new WriteCost();
        cost.begin();
        // a child that spends its time on the CPU while this thread waits for it
        Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child ended");
        cost.end();
        assertTrue(cost.averageMillis() >= 10, "the child's CPU counted: " + cost.averageMillis());
    }
}
