package dev.ferrite.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void burstOfChangesToOneServiceIsReconciledOnce() throws Exception {
        WorkQueue q = new WorkQueue();
        q.add("default/web");
        q.add("default/api");
        q.add("default/web");
        q.addAll(List.of("default/web", "default/api"));

        assertEquals(Optional.of(new WorkQueue.Work.ServiceChanged("default/web")), q.take(0));
        assertEquals(Optional.of(new WorkQueue.Work.ServiceChanged("default/api")), q.take(0));
        assertTrue(q.take(0).isEmpty());
    }

    @Test
    void configurationChangeIsHandledBeforeWaitingServices() throws Exception {
        WorkQueue q = new WorkQueue();
        q.add("default/web");
        q.configChanged();
        q.configChanged();

        assertEquals(Optional.of(new WorkQueue.Work.ConfigChanged()), q.take(0));
        assertEquals(Optional.of(new WorkQueue.Work.ServiceChanged("default/web")), q.take(0));
        assertTrue(q.take(0).isEmpty());
    }

    @Test
    void takeWakesUpWhenWorkArrives() throws Exception {
        WorkQueue q = new WorkQueue();
        Thread producer = new Thread(() -> q.add("default/late"));
        producer.start();
        assertEquals(Optional.of(new WorkQueue.Work.ServiceChanged("default/late")), q.take(10_000));
        producer.join();
    }

    @Test
    void serviceWhoseWriteFailedComesBackAfterTheRetryDelay() throws Exception {
        try (WorkQueue q = new WorkQueue(Duration.ofMillis(50))) {
            q.serviceLater("default/web");

            assertTrue(q.take(0).isEmpty());
            assertEquals(Optional.of(new WorkQueue.Work.ServiceChanged("default/web")), q.take(10_000));
        }
    }

    @Test
    void closedQueuePutsNothingBack() throws Exception {
        WorkQueue q = new WorkQueue(Duration.ofMillis(10));
        q.later(new WorkQueue.Work.ConfigChanged());
        q.close();
        q.serviceLater("default/web");

        assertTrue(q.take(200).isEmpty());
    }
}
