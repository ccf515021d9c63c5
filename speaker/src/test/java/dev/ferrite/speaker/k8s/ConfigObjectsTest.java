package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IPAddressPools and L2Advertisements read from JSON by hand, against the model's own JSON binding. */
class ConfigObjectsTest {

    private static final String POOL = """
            {"apiVersion": "ferrite.dev/v1beta1", "kind": "IPAddressPool",
             "metadata": {"name": "lab", "namespace": "ferrite-system", "uid": "u-1", "resourceVersion": "17",
               "labels": {"zone": "a", "tier": "front"}, "annotations": {"note": "x"},
               "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]},
             "spec": {"addresses": ["198.18.0.0/24", "2001:db8::1-2001:db8::9"], "autoAssign": false, "avoidBuggyIPs": true,
               "serviceAllocation": {"priority": 7, "namespaces": ["shop"],
                 "namespaceSelectors": [{"matchLabels": {"team": "web"}}],
                 "serviceSelectors": [{"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]},
                                                            {"key": "gone", "operator": "DoesNotExist"}]}]}},
             "status": {"assignedIPv4": 3, "conditions": [{"type": "Valid", "status": "True"}]}}
            """;

    private static final String ADVERTISEMENT = """
            {"apiVersion": "ferrite.dev/v1beta1", "kind": "L2Advertisement",
             "metadata": {"name": "front", "namespace": "ferrite-system", "labels": null},
             "spec": {"ipAddressPools": ["lab"], "ipAddressPoolSelectors": [{"matchLabels": {"zone": "a"}}],
               "nodeSelectors": [{"matchLabels": {"kubernetes.io/hostname": "node1"}}, null],
               "interfaces": ["eth0", "eth1"], "serviceSelectors": [],
               "preferredNodeSelectors": [{"weight": 50, "preference": {"matchLabels": {"rack": "r1"}}}],
               "garpRefresh": "30s"}}
            """;

    /** The same object, read by hand and bound by the model's serialization, writes the same JSON. */
    private static void sameAsTheBinding(String json, HasMetadata mine, Class<? extends HasMetadata> kind) {
        HasMetadata bound = Serialization.unmarshal(json, kind);
        assertEquals(bound.getMetadata().getName(), mine.getMetadata().getName());
        assertEquals(bound.getMetadata().getNamespace(), mine.getMetadata().getNamespace());
        // no labels and null labels both read as none, as the parser takes them
        assertEquals(bound.getMetadata().getLabels() == null ? Map.of() : bound.getMetadata().getLabels(),
                mine.getMetadata().getLabels());
        assertEquals(bound.getMetadata().getResourceVersion(), mine.getMetadata().getResourceVersion());
        Object boundSpec = kind == IPAddressPool.class ? ((IPAddressPool) bound).getSpec() : ((L2Advertisement) bound).getSpec();
        Object mySpec = kind == IPAddressPool.class ? ((IPAddressPool) mine).getSpec() : ((L2Advertisement) mine).getSpec();
        assertEquals(Serialization.asJson(boundSpec), Serialization.asJson(mySpec), json);
    }

    @Test
    void aPoolReadsAsItsModelBindingWouldReadIt() {
        ObjectViews.Read<IPAddressPool> read = ConfigObjects.pool(new JsonReader(POOL));
        assertEquals("ferrite-system/lab", read.key());
        assertEquals("17", read.resourceVersion());
        sameAsTheBinding(POOL, read.value(), IPAddressPool.class);
        assertEquals(false, read.value().getSpec().getAutoAssign());
        assertEquals(7, read.value().getSpec().getServiceAllocation().getPriority());
    }

    @Test
    void anAdvertisementReadsAsItsModelBindingWouldReadIt() {
        ObjectViews.Read<L2Advertisement> read = ConfigObjects.advertisement(new JsonReader(ADVERTISEMENT));
        assertEquals("ferrite-system/front", read.key());
        sameAsTheBinding(ADVERTISEMENT, read.value(), L2Advertisement.class);
        assertNull(read.value().getSpec().getNodeSelectors().get(1));
    }

    @Test
    void absentMembersKeepTheModelsDefaultsAndNullsSetNull() {
        for (String json : List.of(
                "{\"metadata\": {\"name\": \"p\"}, \"spec\": {\"addresses\": [\"198.18.1.0/24\"]}}",
                "{\"metadata\": {\"name\": \"p\"}, \"spec\": {\"addresses\": null, \"autoAssign\": null, \"serviceAllocation\": null}}",
                "{\"metadata\": {\"name\": \"p\"}, \"spec\": null}",
                "{\"metadata\": {\"name\": \"p\"}}",
                "{\"spec\": {}}")) {
            sameAsTheBinding(json, ConfigObjects.pool(new JsonReader(json)).value(), IPAddressPool.class);
        }
        for (String json : List.of("{\"metadata\": {\"name\": \"a\"}, \"spec\": {}}", "{\"metadata\": {\"name\": \"a\"}}",
                "{\"metadata\": {\"name\": \"a\"}, \"spec\": {\"preferredNodeSelectors\": [{\"weight\": null}]}}")) {
            sameAsTheBinding(json, ConfigObjects.advertisement(new JsonReader(json)).value(), L2Advertisement.class);
        }
        assertNull(ConfigObjects.pool(new JsonReader("{\"spec\": {}}")).key(), "an object without a name has no key");
    }

    @Test
    void theParserJudgesWhatWasReadAsItJudgesTheBinding() {
        String invalid = POOL.replace("\"198.18.0.0/24\"", "\"198.18.0.0/33\"");
        var mine = ConfigParser.parse(List.of(ConfigObjects.pool(new JsonReader(invalid)).value()),
                List.of(ConfigObjects.advertisement(new JsonReader(ADVERTISEMENT)).value()));
        var bound = ConfigParser.parse(List.of(Serialization.unmarshal(invalid, IPAddressPool.class)),
                List.of(Serialization.unmarshal(ADVERTISEMENT, L2Advertisement.class)));
        assertTrue(bound instanceof ConfigResult.Invalid, "a /33 is not a valid range");
        assertEquals(bound, mine);
    }

    @Test
    void aSpecMemberThisVersionDoesNotKnowIsSkipped() {
        // the model's binding refuses it; a newer CRD's field must not stop an older speaker's config
        String json = POOL.replace("\"autoAssign\": false,", "\"autoAssign\": false, \"future\": {\"x\": [1, {}]},");
        assertEquals(Serialization.asJson(ConfigObjects.pool(new JsonReader(POOL)).value().getSpec()),
                Serialization.asJson(ConfigObjects.pool(new JsonReader(json)).value().getSpec()));
    }

    @Test
    void aWrongTypeIsAnErrorNamingWhere() {
        JsonReader.JsonException e = assertThrows(JsonReader.JsonException.class,
                () -> ConfigObjects.pool(new JsonReader("{\"spec\": {\"autoAssign\": \"yes\"}}")));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertThrows(JsonReader.JsonException.class,
                () -> ConfigObjects.pool(new JsonReader("{\"spec\": {\"serviceAllocation\": {\"priority\": 1.5}}}")));
        assertThrows(JsonReader.JsonException.class,
                () -> ConfigObjects.pool(new JsonReader("{\"spec\": {\"serviceAllocation\": {\"priority\": 99999999999}}}")));
        assertThrows(JsonReader.JsonException.class,
                () -> ConfigObjects.advertisement(new JsonReader("{\"spec\": {\"interfaces\": [1]}}")));
    }
}
