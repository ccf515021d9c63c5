package dev.ferrite.controller.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteQueueTest {

    @Test
    void writesForOneObjectLandInSubmissionOrder() throws Exception {
        List<Integer> landed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(200);
        try (WriteQueue q = new WriteQueue(8, "test")) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                // alternate priorities: order per object must hold regardless
                q.submit("default/web", i % 2 == 0 ? WriteQueue.Priority.STATUS : WriteQueue.Priority.FOLLOW_UP, () -> {
                    landed.add(n);
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(i, landed.get(i));
        }
    }

    @Test
    void writesForOneObjectNeverOverlap() throws Exception {
        int[] running = new int[1];
        int[] maxRunning = new int[1];
        CountDownLatch done = new CountDownLatch(50);
        try (WriteQueue q = new WriteQueue(8, "test")) {
            for (int i = 0; i < 50; i++) {
                q.submit("default/web", WriteQueue.Priority.STATUS, () -> {
                    synchronized (running) {
                        maxRunning[0] = Math.max(maxRunning[0], ++running[0]);
                    }
                    Thread.onSpinWait();
                    synchronized (running) {
                        running[0]--;
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        assertEquals(1, maxRunning[0]);
    }

    @Test
    void addressWritesOvertakeQueuedFollowUps() throws Exception {
        List<String> landed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(4);
        try (WriteQueue q = new WriteQueue(4, "test")) {
            // one follow-up worker (4 / 4): block it, then queue a follow-up behind it
            q.submit("event/a", WriteQueue.Priority.FOLLOW_UP, () -> {
                await(gate);
                landed.add("event a");
                done.countDown();
            });
            q.submit("event/b", WriteQueue.Priority.FOLLOW_UP, () -> {
                landed.add("event b");
                done.countDown();
            });
            q.submit("default/web", WriteQueue.Priority.STATUS, () -> {
                landed.add("status web");
                done.countDown();
            });
            q.submit("default/api", WriteQueue.Priority.STATUS, () -> {
                landed.add("status api");
                done.countDown();
            });
            dev.ferrite.controller.MockCluster.await("both address writes landed", () -> landed.size() >= 2);
            gate.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        assertTrue(landed.indexOf("status web") < landed.indexOf("event a"), landed.toString());
        assertTrue(landed.indexOf("status api") < landed.indexOf("event b"), landed.toString());
    }

    @Test
    void aFollowUpWaitsUntilAddressWritesHaveStoppedComing() throws Exception {
        long[] followUpRan = {0};
        CountDownLatch done = new CountDownLatch(1);
        // taken just before each submit: a lower bound of the time the queue stamps on it
        List<Long> submitted = new ArrayList<>();
        try (WriteQueue q = new WriteQueue(4, "test")) {
            // a burst: an address write every 50 ms for 600 ms, each done at once; a follow-up
            // (an Event of the first Service) queued after the first
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
            int i = 0;
            do {
                submitted.add(System.nanoTime());
                q.submit("default/s" + i++, WriteQueue.Priority.STATUS, () -> { });
                if (i == 1) {
                    q.submit("event/a", WriteQueue.Priority.FOLLOW_UP, () -> {
                        followUpRan[0] = System.nanoTime();
                        done.countDown();
                    });
                }
                Thread.sleep(50);
            } while (System.nanoTime() < end);
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        // no address write was submitted within QUIET_MS before the follow-up ran (a test thread
        // that overslept past QUIET_MS mid-burst lets it run early, rightly)
        for (long t : submitted) {
            long before = TimeUnit.NANOSECONDS.toMillis(followUpRan[0] - t);
            assertTrue(before < 0 || before >= WriteQueue.QUIET_MS,
                    "the follow-up ran " + before + " ms after an address write was submitted");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
