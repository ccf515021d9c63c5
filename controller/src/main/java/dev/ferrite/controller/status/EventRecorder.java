package dev.ferrite.controller.status;

import dev.ferrite.api.Annotations;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts core/v1 Events about Services, pools and advertisements, on the write queue behind
 * the status writes (an Event explains a change; it must not delay one). Events are best
 * effort: a failed post is logged and dropped, as kubectl and kubelet do.
 */
public final class EventRecorder {

    public enum Type { Normal, Warning }

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final WriteQueue queue;
    private final Clock clock;
    private final String reportingInstance;
    private final AtomicLong counter = new AtomicLong();

    public EventRecorder(KubernetesClient client, WriteQueue queue, Clock clock, String reportingInstance) {
        this.client = client;
        this.queue = queue;
        this.clock = clock;
        this.reportingInstance = reportingInstance;
    }

    public void record(HasMetadata about, Type type, String reason, String message) {
        String namespace = about.getMetadata().getNamespace();
        String name = about.getMetadata().getName();
        String when = Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        // the API server would accept generateName too; a name of our own keeps the mock happy
        String eventName = name + "." + Long.toHexString(clock.millis()) + Long.toHexString(counter.incrementAndGet());
        var event = new EventBuilder()
                .withNewMetadata().withName(eventName).withNamespace(namespace).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        // objects from an informer's list may lack apiVersion and kind
                        .withApiVersion(about.getApiVersion() != null ? about.getApiVersion() : HasMetadata.getApiVersion(about.getClass()))
                        .withKind(about.getKind() != null ? about.getKind() : HasMetadata.getKind(about.getClass()))
                        .withNamespace(namespace)
                        .withName(name)
                        .withUid(about.getMetadata().getUid())
                        .withResourceVersion(about.getMetadata().getResourceVersion())
                        .build())
                .withType(type.name())
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(when)
                .withLastTimestamp(when)
                .withCount(1)
                .withNewSource().withComponent(Annotations.CONTROLLER_NAME).endSource()
                .withReportingComponent(Annotations.CONTROLLER_NAME)
                .withReportingInstance(reportingInstance)
                .build();
        queue.submit("event/" + eventName, WriteQueue.Priority.FOLLOW_UP, () -> {
            try {
                client.v1().events().inNamespace(namespace).resource(event).create();
            } catch (KubernetesClientException e) {
                log.warn("event {} on {} {}/{} not recorded: {}", reason, about.getKind(), namespace, name, e.getMessage());
            }
        });
    }
}
