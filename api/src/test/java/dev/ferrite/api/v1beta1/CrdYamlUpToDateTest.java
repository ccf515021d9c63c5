package dev.ferrite.api.v1beta1;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs in deploy/crds are what operators apply, so they must be exactly what the CRD
 * generator makes from the Java classes at build time (target/classes/META-INF/fabric8).
 * Run with {@code -Dferrite.updateCrds=true} to copy the generated files over the committed
 * ones instead of failing.
 */
class CrdYamlUpToDateTest {

    static final String REFRESH_COMMAND =
            "mvn -B -pl api test -Dtest=CrdYamlUpToDateTest -Dferrite.updateCrds=true";

    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path GENERATED = MODULE.resolve("target/classes/META-INF/fabric8");
    private static final Path COMMITTED = MODULE.resolve("../deploy/crds").normalize();

    static Stream<String> crds() {
        return Stream.of("ipaddresspools.ferrite.dev", "l2advertisements.ferrite.dev", "servicel2statuses.ferrite.dev");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crds")
    void committedCrdMatchesGeneratedOne(String crd) throws IOException {
        Path generated = GENERATED.resolve(crd + "-v1.yml");
        Path committed = COMMITTED.resolve(crd + ".yaml");
        assertTrue(Files.isRegularFile(generated),
                "the CRD generator did not produce " + generated + "; build through Maven (process-classes runs it)");
        String expected = Files.readString(generated, StandardCharsets.UTF_8);

        if (Boolean.getBoolean("ferrite.updateCrds")) {
            Files.createDirectories(COMMITTED);
            Files.writeString(committed, expected, StandardCharsets.UTF_8);
        }
        if (!Files.isRegularFile(committed)) {
            fail(committed + " is missing; refresh deploy/crds with: " + REFRESH_COMMAND);
        }
        String actual = Files.readString(committed, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail(committed + " differs from the CRD generated from the Java classes (" + generated + ") "
                    + firstDifference(expected, actual) + "; refresh deploy/crds with: " + REFRESH_COMMAND);
        }
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end of file>";
            String al = i < a.length ? a[i] : "<end of file>";
            if (!el.equals(al)) {
                return "at line " + (i + 1) + ": generated \"" + el + "\", committed \"" + al + "\"";
            }
        }
        return "";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crds")
    void generatedCrdHasStatusSubresource(String crd) throws IOException {
        // Status writes go through /status; without the subresource a status update would also
        // overwrite spec, and a spec update would wipe the status the controller wrote.
        String yaml = Files.readString(GENERATED.resolve(crd + "-v1.yml"), StandardCharsets.UTF_8);
        assertTrue(yaml.contains("subresources:\n      status: {}"), crd + " has no status subresource");
    }
}
