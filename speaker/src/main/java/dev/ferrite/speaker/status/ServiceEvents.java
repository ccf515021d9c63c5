package dev.ferrite.speaker.status;

import dev.ferrite.api.Annotations;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;

/** Events the speaker records on Services, visible in {@code kubectl describe service}. */
public final class ServiceEvents {

    public static final String NODE_ASSIGNED = "nodeAssigned";

    private final KubernetesClient client;
    private final String node;
    private final Clock clock;

    public ServiceEvents(KubernetesClient client, String node, Clock clock) {
        this.client = client;
        this.node = node;
        this.clock = clock;
    }

    /** Normal event {@code nodeAssigned}: "announcing from node X". */
    public void nodeAssigned(ServiceAnnouncement a) {
        Instant now = clock.instant();
        String time = now.toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withNamespace(a.service().namespace())
                // Unique per service, node and moment, as kubectl's recorder names them.
                .withName(a.service().name() + "." + Long.toHexString(now.toEpochMilli() * 1000 + (now.getNano() / 1000) % 1000)
                        + "." + Integer.toHexString(node.hashCode() & 0xFFFF))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Service")
                        .withNamespace(a.service().namespace())
                        .withName(a.service().name())
                        .withUid(a.uid())
                        .build())
                .withType("Normal")
                .withReason(NODE_ASSIGNED)
                .withMessage("announcing from node " + node)
                .withNewSource().withComponent(Annotations.SPEAKER_NAME).withHost(node).endSource()
                .withReportingComponent(Annotations.SPEAKER_NAME)
                .withReportingInstance(node)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
        client.v1().events().inNamespace(a.service().namespace()).resource(event).create();
    }
}
