package dev.ferrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The jar that ships to clusters (and into the image) carries the components and nothing of
 * the lab's or the benchmarks': no lab, no benchmark, no mock API server.
 */
@Tag("packaged")
class ShippedJarTest {

    /** Class-file prefixes that belong to the lab's or the benchmarks' jar only. */
    private static final List<String> NOT_SHIPPED = List.of(
            "dev/ferrite/lab/", "dev/ferrite/bench/",
            "io/fabric8/mockwebserver/", "io/fabric8/kubernetes/client/server/mock/", "okhttp3/mockwebserver/");

    @Test
    void theShippedJarHasNoLabNoBenchmarkAndNoMockServer() throws IOException {
        Path jar = Path.of("").toAbsolutePath().resolve("target/ferrite.jar");
        assumeTrue(Files.isRegularFile(jar), jar + " not built");
        List<String> found = new ArrayList<>();
        int components = 0;
        try (JarFile f = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (NOT_SHIPPED.stream().anyMatch(name::startsWith) && found.size() < 10) {
                    found.add(name);
                }
                if (name.equals("dev/ferrite/controller/ControllerCommand.class")
                        || name.equals("dev/ferrite/speaker/SpeakerCommand.class")) {
                    components++;
                }
            }
        }
        assertEquals(2, components, "the controller and the speaker are in " + jar);
        assertTrue(found.isEmpty(), jar + " carries what never ships: " + found);
    }
}
