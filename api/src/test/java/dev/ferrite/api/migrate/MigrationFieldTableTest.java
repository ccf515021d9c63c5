package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/migration.md has a row for every field of MetalLB's L2 custom resources, and the import
 * knows every one of them. The list below is MetalLB's published API (metallb.io/v1beta1,
 * api/v1beta1/ipaddresspool_types.go and l2advertisement_types.go of MetalLB v0.16.1, plus
 * preferredNodeSelectors from MetalLB's main branch), written down here as facts: a field
 * MetalLB adds is added here, and then the test says what else is missing.
 */
class MigrationFieldTableTest {

    static final List<String> METALLB_IPADDRESSPOOL = List.of(
            "spec.addresses", "spec.autoAssign", "spec.avoidBuggyIPs", "spec.serviceAllocation",
            "spec.serviceAllocation.priority", "spec.serviceAllocation.namespaces",
            "spec.serviceAllocation.namespaceSelectors", "spec.serviceAllocation.serviceSelectors",
            "status.assignedIPv4", "status.assignedIPv6", "status.availableIPv4", "status.availableIPv6");

    static final List<String> METALLB_L2ADVERTISEMENT = List.of(
            "spec.ipAddressPools", "spec.ipAddressPoolSelectors", "spec.nodeSelectors", "spec.interfaces",
            "spec.serviceSelectors", "spec.preferredNodeSelectors", "spec.preferredNodeSelectors.weight",
            "spec.preferredNodeSelectors.preference");

    private static final Path MIGRATION = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .resolve("../docs/migration.md").normalize();

    static Stream<String[]> fields() {
        List<String[]> out = new ArrayList<>();
        METALLB_IPADDRESSPOOL.forEach(f -> out.add(new String[] {"IPAddressPool", f}));
        METALLB_L2ADVERTISEMENT.forEach(f -> out.add(new String[] {"L2Advertisement", f}));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fields")
    void everyMetallbFieldHasARowInTheMigrationGuide(String kind, String field) throws IOException {
        String doc = Files.readString(MIGRATION, StandardCharsets.UTF_8);
        boolean found = doc.lines().anyMatch(line -> line.startsWith("| `" + kind + "` |")
                && line.split("\\|")[2].contains("`" + field + "`"));
        assertTrue(found, MIGRATION + " has no row \"| `" + kind + "` | `" + field + "` | …\" saying what becomes of it");
    }

    @Test
    void theImportKnowsEverySpecFieldMetallbHas() {
        List<String> pool = MetallbSchema.paths(MetallbSchema.POOL_SPEC).stream().map(p -> "spec." + p).toList();
        List<String> advertisement = MetallbSchema.paths(MetallbSchema.ADVERTISEMENT_SPEC).stream().map(p -> "spec." + p)
                .toList();
        assertEquals(METALLB_IPADDRESSPOOL.stream().filter(f -> f.startsWith("spec.")).toList(), pool);
        assertEquals(METALLB_L2ADVERTISEMENT, advertisement);
    }
}
