package dev.ferrite.speaker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferrite.speaker.k8s.JsonReader;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A Lease read and written as JSON, against the model's binding of the same JSON. */
class LeaseObjectTest {

    private static final String LEASE = """
            {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": "ferrite-speaker-node1", "namespace": "ferrite-system", "uid": "u-9",
               "resourceVersion": "812", "labels": {"ferrite.dev/witness": "speaker"},
               "annotations": {"ferrite.dev/macs": "02:00:00:00:00:01", "example.com/other": "kept"},
               "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "node1", "uid": "n-1"}]},
             "spec": {"holderIdentity": "node1", "leaseDurationSeconds": 40, "leaseTransitions": 3,
               "acquireTime": "2026-12-07T10:00:00.000000Z", "renewTime": "2026-12-07T10:05:00.123456Z"}}
            """;

    @Test
    void anUpdateKeepsEveryFieldItWasReadWithButThoseItChanges() {
        LeaseObject read = LeaseObject.read(LEASE);
        assertEquals("ferrite-speaker-node1", read.name());
        assertEquals("812", read.resourceVersion());
        assertEquals(Optional.of("node1"), read.holder());
        assertEquals("02:00:00:00:00:01", read.annotation("ferrite.dev/macs"));

        ZonedDateTime at = ZonedDateTime.of(2026, 12, 7, 11, 0, 0, 654_321_000, ZoneOffset.UTC);
        LeaseObject renewed = read.withSpec("renewTime", LeaseObject.time(at)).withSpec("holderIdentity", "\"node2\"")
                .withAnnotation("ferrite.dev/macs", "02:00:00:00:00:02");
        Lease bound = Serialization.unmarshal(renewed.json(), Lease.class);
        Lease before = Serialization.unmarshal(LEASE, Lease.class);
        assertEquals("812", bound.getMetadata().getResourceVersion(), "the update is conditional on the version read");
        assertEquals(before.getMetadata().getOwnerReferences(), bound.getMetadata().getOwnerReferences());
        assertEquals(before.getMetadata().getLabels(), bound.getMetadata().getLabels());
        assertEquals(Map.of("ferrite.dev/macs", "02:00:00:00:00:02", "example.com/other", "kept"),
                bound.getMetadata().getAnnotations());
        assertEquals("node2", bound.getSpec().getHolderIdentity());
        assertEquals(at, bound.getSpec().getRenewTime());
        assertEquals(before.getSpec().getAcquireTime(), bound.getSpec().getAcquireTime());
        assertEquals(3, bound.getSpec().getLeaseTransitions());
        assertEquals(40, bound.getSpec().getLeaseDurationSeconds());

        LeaseObject released = read.withSpec("holderIdentity", null);
        assertEquals(Optional.empty(), released.holder());
        assertNull(Serialization.unmarshal(released.json(), Lease.class).getSpec().getHolderIdentity());
    }

    @Test
    void aNewLeaseAndAListOfThem() {
        LeaseObject created = LeaseObject.create("ferrite-tiebreak", "ns", Map.of("ferrite.dev/witness", "tiebreak"),
                Map.of("ferrite.dev/macs", ""), Map.of("holderIdentity", "\"node3\"", "leaseDurationSeconds", "6"));
        Lease bound = Serialization.unmarshal(created.json(), Lease.class);
        assertEquals("ferrite-tiebreak", bound.getMetadata().getName());
        assertEquals("ns", bound.getMetadata().getNamespace());
        assertEquals(Map.of("ferrite.dev/witness", "tiebreak"), bound.getMetadata().getLabels());
        assertEquals(6, bound.getSpec().getLeaseDurationSeconds());
        assertNull(created.resourceVersion());

        List<LeaseObject> items = LeaseObject.items("{\"kind\": \"LeaseList\", \"items\": [" + LEASE + ", {\"metadata\": {}}]}");
        assertEquals(2, items.size());
        assertEquals("ferrite-speaker-node1", items.get(0).name());
        assertNull(items.get(1).name());
        assertEquals(Optional.empty(), items.get(1).holder());
        assertNull(items.get(1).annotation("ferrite.dev/macs"));
        assertThrows(JsonReader.JsonException.class, () -> LeaseObject.items("{\"items\": [{]}"));
    }
}
