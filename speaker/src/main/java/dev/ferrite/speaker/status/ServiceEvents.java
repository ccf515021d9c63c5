package dev.ferrite.speaker.status;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.JsonString;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.k8s.KubeApi;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Events the speaker records on Services, visible in {@code kubectl describe service}. */
public final class ServiceEvents {

    public static final String NODE_ASSIGNED = "nodeAssigned";
    public static final String FOREIGN_CLAIM = "ForeignClaim";
    public static final String ADDRESS_IN_USE = "AddressInUse";

    private static final Logger log = LoggerFactory.getLogger(ServiceEvents.class);

    private final KubeApi api;
    private final String node;
    private final Clock clock;

    public ServiceEvents(KubeApi api, String node, Clock clock) {
        this.api = api;
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

    /**
     * Creates the Event; a failure is logged, never retried (an event is a courtesy to the
     * operator). The Event's JSON is written here and the API's answer not read: a speaker
     * records one for every Service it takes.
     */
    private void record(ServiceAnnouncement a, String type, String reason, String message) {
        Instant now = clock.instant();
        String time = JsonString.quote(now.toString());
        String namespace = JsonString.quote(a.service().namespace());
        String service = JsonString.quote(a.service().name());
        // unique per service, node and moment, as kubectl's recorder names them
        String name = a.service().name() + "." + Long.toHexString(now.toEpochMilli() * 1000 + (now.getNano() / 1000) % 1000)
                + "." + Integer.toHexString(node.hashCode() & 0xFFFF);
        String speaker = JsonString.quote(Annotations.SPEAKER_NAME);
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"Event\","
                + "\"metadata\":{\"name\":" + JsonString.quote(name) + ",\"namespace\":" + namespace + "},"
                + "\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"namespace\":" + namespace
                + ",\"name\":" + service + (a.uid() == null ? "" : ",\"uid\":" + JsonString.quote(a.uid())) + "},"
                + "\"type\":" + JsonString.quote(type) + ",\"reason\":" + JsonString.quote(reason)
                + ",\"message\":" + JsonString.quote(message)
                + ",\"source\":{\"component\":" + speaker + ",\"host\":" + JsonString.quote(node) + "}"
                + ",\"reportingComponent\":" + speaker + ",\"reportingInstance\":" + JsonString.quote(node)
                + ",\"firstTimestamp\":" + time + ",\"lastTimestamp\":" + time + ",\"count\":1}";
        String path = "/api/v1/namespaces/" + a.service().namespace() + "/events";
        try {
            int code = api.post(path, json).join();
            if (code / 100 != 2) {
                log.warn("service {}: recording event {} failed: HTTP {}", a.service(), reason, code);
            }
        } catch (CompletionException e) {
            log.warn("service {}: recording event {} failed: {}", a.service(), reason, KubeApi.describe(e));
        }
    }
}
