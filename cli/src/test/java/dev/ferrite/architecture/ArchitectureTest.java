package dev.ferrite.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of docs/design.md, checked over the production classes of every module
 * (this module depends on all of them). Pure packages take values and return values: no
 * Kubernetes client, no capture, no sockets, so they are tested with plain unit tests and
 * read without knowing any I/O library.
 */
class ArchitectureTest {

    /** Sockets and anything that opens one. Addresses ({@code InetAddress}, {@code InetSocketAddress}) are values. */
    private static final String[] SOCKETS = {
        "java.net.Socket", "java.net.ServerSocket", "java.net.DatagramSocket", "java.net.MulticastSocket",
        "java.net.URLConnection", "java.net.HttpURLConnection", "java.net.http..", "java.nio.channels..",
        "com.sun.net.httpserver.."
    };
    private static final DescribedPredicate<JavaClass> SOCKET =
            DescribedPredicate.describe("a socket class", c -> isSocket(c.getName()));
    private static final String[] IO_LIBRARIES = {"io.fabric8..", "org.pcap4j..", "io.netty.."};

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the bench module is on this module's test classpath, and never ships
                .withImportOption(location -> !location.contains("/bench/target/") && !location.contains("ferrite-bench"))
                .importPackages("dev.ferrite");
    }

    @Test
    void purePackagesUseNoKubernetesCapturePcapNettyOrSockets() {
        noClasses().that().resideInAnyPackage(
                        "dev.ferrite.controller.allocation",
                        "dev.ferrite.speaker.election",
                        "dev.ferrite.speaker.arp",
                        "dev.ferrite.speaker.model",
                        "dev.ferrite.api.net")
                .should().dependOnClassesThat().resideInAnyPackage(IO_LIBRARIES)
                .orShould().dependOnClassesThat(SOCKET)
                .check(production);
    }

    @Test
    void membershipStateUsesNoSocketsOnlyItsTransportDoes() {
        noClasses().that().resideInAPackage("dev.ferrite.speaker.membership")
                .and().haveNameNotMatching(
                        "dev\\.ferrite\\.speaker\\.membership\\.(UdpMembership|LivenessConnections|LoopbackPorts)(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage(IO_LIBRARIES)
                .orShould().dependOnClassesThat(SOCKET)
                .check(production);
    }

    /**
     * The configuration is parsed from the custom resources, which are fabric8 model classes:
     * the model is its input. It never talks to the API, and touches no capture or socket.
     */
    @Test
    void configParsingNeverTalksToTheApiOrTheNetwork() {
        noClasses().that().resideInAPackage("dev.ferrite.api.config")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..", "org.pcap4j..",
                        "io.netty..")
                .orShould().dependOnClassesThat(SOCKET)
                .check(production);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.ferrite.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void productionCodeUsesNoTestLibrary() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.junit..", "com.tngtech.archunit..",
                        "org.mockito..")
                .check(production);
        // The lab's embedded API server is fabric8's mock server, on purpose; nothing else uses it,
        // and the lab has a jar of its own (ShippedJarTest checks the jar that ships).
        noClasses().that().resideOutsideOfPackage("dev.ferrite.lab..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.mockwebserver..",
                        "io.fabric8.kubernetes.client.server.mock..")
                .check(production);
    }

    @Test
    void noBenchmarkInTheShippedJar() {
        noClasses().should().haveSimpleNameEndingWith("Benchmark")
                .orShould().haveSimpleNameEndingWith("BenchCommand")
                .check(production);
    }

    private static boolean isSocket(String name) {
        for (String s : SOCKETS) {
            if (s.endsWith("..") ? name.startsWith(s.substring(0, s.length() - 1)) : name.equals(s)) {
                return true;
            }
        }
        return false;
    }
}
