package dev.ferrite.speaker;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling for the speaker tests: the speaker reacts to the API server and to membership on
 * its own threads, so a test waits for the outcome an operator would see, for at most a fixed time,
 * and fails naming what did not happen.
 */
public final class Await {

    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Returns once {@code condition} holds; fails the test with {@code what} if it does not within {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        // One last look, so a condition that became true during the final sleep is not reported as missed.
        if (!condition.getAsBoolean()) {
            fail("not within " + timeout.toSeconds() + " s: " + what);
        }
    }
}
