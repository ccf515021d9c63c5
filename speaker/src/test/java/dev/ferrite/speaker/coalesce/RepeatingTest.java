package dev.ferrite.speaker.coalesce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatingTest {

    @Test
    void eachRunWaitsTheDelayGivenWhenTheLastEndedAndAFailingRunDoesNotStopIt() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger runs = new AtomicInteger();
        AtomicLong delay = new AtomicLong(5);
        try {
            Repeating.start(executor, () -> {
                if (runs.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("every other run fails");
                }
            }, delay::get);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runs.get() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(runs.get() >= 10, "runs: " + runs.get());

            delay.set(60_000);
            // the run planned with the short delay still comes
            Thread.sleep(300);
            int slow = runs.get();
            Thread.sleep(300);
            assertEquals(slow, runs.get(), "a long delay given: no run meanwhile");
        } finally {
            executor.shutdownNow();
        }
        int atShutdown = runs.get();
        Thread.sleep(50);
        assertEquals(atShutdown, runs.get());
    }
}
