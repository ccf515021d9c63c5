package dev.ferrite.controller.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigAdmissionTest {

    static IPAddressPool pool(String name, String... addresses) {
        return poolIn("ferrite-system", name, addresses);
    }

    static IPAddressPool poolIn(String namespace, String name, String... addresses) {
        return Serialization.unmarshal("""
                {"apiVersion": "ferrite.dev/v1beta1", "kind": "IPAddressPool",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": {"addresses": [%s]}}
                """.formatted(name, namespace, quoted(addresses)), IPAddressPool.class);
    }

    static L2Advertisement advertisement(String name, String... pools) {
        return Serialization.unmarshal("""
                {"apiVersion": "ferrite.dev/v1beta1", "kind": "L2Advertisement",
                 "metadata": {"name": "%s", "namespace": "ferrite-system"},
                 "spec": {"ipAddressPools": [%s]}}
                """.formatted(name, quoted(pools)), L2Advertisement.class);
    }

    private static String quoted(String... values) {
        return String.join(", ", Stream.of(values).map(v -> "\"" + v + "\"").toList());
    }

    /** The cluster every row starts from: two valid pools, one advertisement naming lan. */
    static final List<IPAddressPool> POOLS = List.of(pool("lan", "198.18.0.0/24"), pool("lab", "198.18.1.0-198.18.1.9"));
    static final List<L2Advertisement> ADVERTISEMENTS = List.of(advertisement("lan", "lan"));

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("a new pool apart from the others is allowed",
                        new ConfigChange.PutPool(pool("new", "198.18.2.0/28")), null),
                Arguments.of("an update of a pool within its own old range is allowed (it replaces itself)",
                        new ConfigChange.PutPool(pool("lan", "198.18.0.0/25")), null),
                Arguments.of("a new pool overlapping a stored one is denied naming both",
                        new ConfigChange.PutPool(pool("new", "198.18.0.128/25")),
                        "IPAddressPool new: spec.addresses[0] \"198.18.0.128/25\": overlaps IPAddressPool lan "
                                + "spec.addresses[0] \"198.18.0.0/24\" (both hold 198.18.0.128-198.18.0.255); "
                                + "an address may belong to one pool range only"),
                Arguments.of("an update moving a pool onto another one is denied",
                        new ConfigChange.PutPool(pool("lab", "198.18.0.5-198.18.0.6")),
                        "IPAddressPool lab: spec.addresses[0] \"198.18.0.5-198.18.0.6\": overlaps IPAddressPool lan "
                                + "spec.addresses[0] \"198.18.0.0/24\" (both hold 198.18.0.5-198.18.0.6); "
                                + "an address may belong to one pool range only"),
                Arguments.of("a bad CIDR is denied with its field and value",
                        new ConfigChange.PutPool(pool("new", "198.18.2.0/28", "198.18.3.0/33")),
                        "IPAddressPool new: spec.addresses[1] \"198.18.3.0/33\":"),
                Arguments.of("a pool whose name is taken in another namespace is denied",
                        new ConfigChange.PutPool(poolIn("other", "lab", "198.18.9.0/28")),
                        "names must be unique across namespaces"),
                Arguments.of("an advertisement naming stored pools is allowed",
                        new ConfigChange.PutAdvertisement(advertisement("both", "lan", "lab")), null),
                Arguments.of("an advertisement naming an unknown pool is denied with the known pools",
                        new ConfigChange.PutAdvertisement(advertisement("lab", "lab", "nope")),
                        "L2Advertisement lab: spec.ipAddressPools[1] \"nope\": no IPAddressPool is named \"nope\"; "
                                + "pools are lab, lan"),
                Arguments.of("deleting a pool no advertisement names is allowed",
                        new ConfigChange.DeletePool("ferrite-system", "lab"), null),
                Arguments.of("deleting a pool an advertisement names is denied naming the advertisement",
                        new ConfigChange.DeletePool("ferrite-system", "lan"),
                        "IPAddressPool lan is still named by L2Advertisement ferrite-system/lan (spec.ipAddressPools[0]); "
                                + "remove it from there (or delete the advertisement) first"),
                Arguments.of("a request without effect on the configuration is allowed",
                        new ConfigChange.NoConfigEffect("status write"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void judgesEachChangeAgainstTheStoredObjects(String description, ConfigChange change, String deniedWith) {
        Verdict verdict = ConfigAdmission.review(change, POOLS, ADVERTISEMENTS);
        if (deniedWith == null) {
            assertEquals(new Verdict.Allowed(), verdict);
        } else {
            String message = assertInstanceOf(Verdict.Denied.class, verdict).message();
            assertTrue(message.contains(deniedWith), message);
        }
    }

    @Test
    void aPoolThatWasBrokenBeforeDoesNotBlockAnUnrelatedChange() {
        List<IPAddressPool> pools = List.of(pool("broken", "not-an-address"), pool("lan", "198.18.0.0/24"));
        assertEquals(new Verdict.Allowed(),
                ConfigAdmission.review(new ConfigChange.PutPool(pool("new", "198.18.2.0/28")), pools, List.of()));
    }

    @Test
    void fixingABrokenPoolIsAllowed() {
        List<IPAddressPool> pools = List.of(pool("broken", "not-an-address"));
        assertEquals(new Verdict.Allowed(),
                ConfigAdmission.review(new ConfigChange.PutPool(pool("broken", "198.18.2.0/28")), pools, List.of()));
    }

    @Test
    void everyErrorOfTheIncomingObjectIsInTheMessage() {
        Verdict verdict = ConfigAdmission.review(
                new ConfigChange.PutPool(pool("new", "198.18.0.10/32", "banana")), POOLS, ADVERTISEMENTS);
        String message = assertInstanceOf(Verdict.Denied.class, verdict).message();
        assertTrue(message.contains("spec.addresses[1] \"banana\""), message);
        assertTrue(message.contains("overlaps IPAddressPool lan"), message);
    }

    @Test
    void deletingAPoolWhoseNamesakeStaysInAnotherNamespaceIsAllowed() {
        List<IPAddressPool> pools = List.of(poolIn("ferrite-system", "lan", "198.18.0.0/24"), poolIn("lb", "lan", "198.18.5.0/24"));
        assertEquals(new Verdict.Allowed(),
                ConfigAdmission.review(new ConfigChange.DeletePool("lb", "lan"), pools, ADVERTISEMENTS));
    }
}
