package dev.ferrite.speaker.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.AddressConflictInfo;
import dev.ferrite.api.v1beta1.HandoffInfo;
import dev.ferrite.api.v1beta1.InterfaceInfo;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.api.v1beta1.ServiceL2StatusStatus;
import dev.ferrite.speaker.k8s.JsonReader;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The ServiceL2Status JSON the speaker writes by hand, against the CRD's model classes. */
class StatusObjectsTest {

    private static final Instant SINCE = Instant.parse("2026-01-02T03:04:05.678Z");

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    private static String canonical(String json) {
        return new JsonReader(json).nextCanonical();
    }

    @Test
    void theStatusIsWhatTheModelClassesWouldWriteForTheSameAnnouncement() {
        ServiceAnnouncement a = new ServiceAnnouncement(new ServiceKey("shop", "web"), "uid-1",
                List.of(ip("198.18.0.10"), ip("2001:db8::10")), new TreeSet<>(List.of("eth1", "eth0")),
                List.of(new ServiceAnnouncement.Handoff(ip("198.18.0.10"), "node-b", SINCE.plusSeconds(30))),
                List.of(new AddressConflict(ip("198.18.0.11"), AddressConflict.Kind.IN_USE, "02:00:00:00:00:01", "ARP reply",
                                "eth0", SINCE),
                        new AddressConflict(ip("198.18.0.10"), AddressConflict.Kind.FOREIGN_CLAIM, "02:00:00:00:00:02",
                                "gratuitous ARP", "eth1", SINCE.plusSeconds(5))));

        ServiceL2StatusStatus model = new ServiceL2StatusStatus();
        model.setNode("node-a");
        model.setServiceNamespace("shop");
        model.setServiceName("web");
        model.setIps(List.of("198.18.0.10", "2001:db8::10"));
        model.setInterfaces(List.of(new InterfaceInfo("eth0"), new InterfaceInfo("eth1")));
        model.setHandoffs(List.of(new HandoffInfo("198.18.0.10", "node-b", SINCE.plusSeconds(30).toString())));
        model.setConflicts(List.of(
                new AddressConflictInfo("198.18.0.10", "ForeignClaim", "02:00:00:00:00:02", "gratuitous ARP", "eth1",
                        SINCE.plusSeconds(5).toString()),
                new AddressConflictInfo("198.18.0.11", "InUse", "02:00:00:00:00:01", "ARP reply", "eth0", SINCE.toString())));
        model.setConditions(List.of(
                new ConditionBuilder().withType("AddressInUse").withStatus("True").withReason("ProbeAnswered")
                        .withMessage("in use by a host outside the cluster, not announced: 198.18.0.11 by 02:00:00:00:00:01"
                                + " (ARP reply on eth0)")
                        .withLastTransitionTime("2026-01-02T03:04:05Z").build(),
                new ConditionBuilder().withType("ForeignClaim").withStatus("True").withReason("ClaimSeen")
                        .withMessage("claimed by a host outside the cluster while announced: 198.18.0.10 by 02:00:00:00:00:02"
                                + " (gratuitous ARP on eth1)")
                        .withLastTransitionTime("2026-01-02T03:04:10Z").build()));

        assertEquals(canonical(Serialization.asJson(model)), StatusObjects.status("node-a", a));
    }

    @Test
    void aPlainAnnouncementHasNoHandoffsConflictsOrConditions() {
        ServiceAnnouncement a = new ServiceAnnouncement(new ServiceKey("default", "db"), null, List.of(ip("198.18.0.20")),
                new TreeSet<>(List.of("eth0")));
        ServiceL2StatusStatus model = new ServiceL2StatusStatus();
        model.setNode("node-a");
        model.setServiceNamespace("default");
        model.setServiceName("db");
        model.setIps(List.of("198.18.0.20"));
        model.setInterfaces(List.of(new InterfaceInfo("eth0")));
        assertEquals(canonical(Serialization.asJson(model)), StatusObjects.status("node-a", a));
    }

    @Test
    void theCreatedObjectReadsAsTheModelWithTheLabelsOfItsServiceAndNode() {
        ServiceAnnouncement a = new ServiceAnnouncement(new ServiceKey("shop", "web"), null, List.of(ip("198.18.0.10")),
                new TreeSet<>(List.of("eth0")));
        ServiceL2Status read = Serialization.unmarshal(StatusObjects.created("ferrite-system", "web-x", "node-a", a),
                ServiceL2Status.class);
        assertEquals(HasMetadata.getApiVersion(ServiceL2Status.class), read.getApiVersion());
        assertEquals(HasMetadata.getKind(ServiceL2Status.class), read.getKind());
        assertEquals("web-x", read.getMetadata().getName());
        assertEquals("ferrite-system", read.getMetadata().getNamespace());
        assertEquals(Map.of(StatusName.SERVICE_NAMESPACE_LABEL, "shop", StatusName.SERVICE_NAME_LABEL, "web",
                StatusName.NODE_LABEL, "node-a"), read.getMetadata().getLabels());
        assertEquals("/apis/" + HasMetadata.getApiVersion(ServiceL2Status.class) + "/namespaces/ns/"
                + HasMetadata.getPlural(ServiceL2Status.class), StatusObjects.collection("ns"));
    }

    @Test
    void readsNameMetadataStatusAndIpsOfAStoredObjectAndWritesItsMetadataBack() {
        String json = """
                {"apiVersion": "ferrite.dev/v1beta1", "kind": "ServiceL2Status",
                 "metadata": {"name": "web-x", "namespace": "ferrite-system", "resourceVersion": "42",
                              "managedFields": [{"manager": "speaker", "fieldsV1": {"f:status": {}}}],
                              "labels": {"ferrite.dev/node": "node-a"}},
                 "status": {"node": "node-a", "ips": ["198.18.0.10", 7, "2001:db8::10"], "interfaces": [{"name": "eth0"}],
                            "handoffs": null}}
                """;
        StatusObjects.Stored s = StatusObjects.read(json);
        assertEquals("web-x", s.name());
        assertEquals(List.of("198.18.0.10", "2001:db8::10"), s.ips());
        assertEquals("{\"interfaces\":[{\"name\":\"eth0\"}],\"ips\":[\"198.18.0.10\",7,\"2001:db8::10\"],\"node\":\"node-a\"}",
                s.status());
        ServiceL2Status back = Serialization.unmarshal(StatusObjects.withStatus(s, "{\"node\":\"node-a\"}"), ServiceL2Status.class);
        assertEquals("42", back.getMetadata().getResourceVersion());
        assertEquals("speaker", back.getMetadata().getManagedFields().get(0).getManager());
        assertEquals("node-a", back.getStatus().getNode());
    }

    @Test
    void anObjectWithoutStatusAndAListOfThem() {
        List<StatusObjects.Stored> items = StatusObjects.items("""
                {"kind": "ServiceL2StatusList", "metadata": {"resourceVersion": "9"},
                 "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}, "status": null}]}
                """);
        assertEquals(List.of("a", "b"), items.stream().map(StatusObjects.Stored::name).toList());
        assertNull(items.get(0).status());
        assertNull(items.get(1).status());
        assertEquals(List.of(), items.get(1).ips());
        assertEquals(List.of(), StatusObjects.items("{\"items\": null}"));
    }

    @Test
    void anAnswerThatIsNotJsonIsAnErrorNamingWhere() {
        JsonReader.JsonException e = assertThrows(JsonReader.JsonException.class, () -> StatusObjects.read("{\"metadata\": {"));
        assertEquals(true, e.getMessage().contains("offset"), e.getMessage());
        assertThrows(JsonReader.JsonException.class, () -> StatusObjects.items("<html>502 Bad Gateway</html>"));
    }
}
