package dev.ferrite.controller.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Everything the controller writes to the API, on one {@link WriteQueue}: Service addresses
 * and pool annotations, pool and advertisement status, Events. Built by whoever wires the
 * controller and handed to the reconciler, which only decides what to write.
 */
public record StatusWriters(WriteQueue writes, ServiceStatusWriter services, ConfigStatusWriter config,
        EventRecorder events) implements AutoCloseable {

    /**
     * @param namespace          where the pools and advertisements are
     * @param identity           this replica, the reporting instance of its Events
     * @param writeConcurrency   API writes in flight at once
     * @param serviceWriteFailed gets the key of a Service whose write failed for good, to try again later
     */
    public static StatusWriters create(KubernetesClient client, String namespace, String identity, int writeConcurrency,
            Consumer<String> serviceWriteFailed) {
        Clock clock = Clock.systemUTC();
        WriteQueue writes = new WriteQueue(writeConcurrency, "ferrite-controller-write");
        return new StatusWriters(writes, new ServiceStatusWriter(client, writes, serviceWriteFailed),
                new ConfigStatusWriter(client, writes, clock, namespace), new EventRecorder(client, writes, clock, identity));
    }

    /** Queued writes are dropped; a new leader recomputes them. */
    @Override
    public void close() {
        writes.close();
    }
}
