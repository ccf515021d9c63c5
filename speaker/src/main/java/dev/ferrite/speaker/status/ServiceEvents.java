package dev.ferrite.speaker.status;

import dev.ferrite.api.Annotations;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.ForeignClaim;
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
    public static final String FOREIGN_CLAIM = "ForeignClaim";
    public static final String ADDRESS_IN_USE = "AddressInUse";

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
        record(a, "Normal", NODE_ASSIGNED, "announcing from node " + node);
    }

    /** Warning event {@code ForeignClaim}: a host outside the cluster claims one of the Service's IPs. */
    public void foreignClaim(ServiceAnnouncement a, ForeignClaim c) {
        record(a, "Warning", FOREIGN_CLAIM, "IP " + c.ip() + " is also claimed by " + c.mac() + " (" + c.how() + " on "
                + c.interfaceName() + " of node " + node + "), a host outside the cluster; clients may reach either."
                + " Node " + node + " keeps announcing it and re-announces at most every 10 s."
                + " Take the address off that host or out of the pool");
    }

    /** Warning event {@code AddressInUse}: the probe before announcing found one of the Service's IPs taken. */
    public void addressInUse(ServiceAnnouncement a, AddressConflict c) {
        record(a, "Warning", ADDRESS_IN_USE, "IP " + c.ip() + " is in use by " + c.mac() + " (" + c.how() + " on "
                + c.interfaceName() + " of node " + node + "), a host outside the cluster: node " + node
                + " does not announce it. The controller moves an automatically assigned Service to another"
                + " address; a Service that requested this one stays pending until the address is free");
    }

    private void record(ServiceAnnouncement a, String type, String reason, String message) {
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
                .withType(type)
                .withReason(reason)
                .withMessage(message)
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
