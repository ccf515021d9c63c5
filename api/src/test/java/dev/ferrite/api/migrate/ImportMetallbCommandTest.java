package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportMetallbCommandTest {

    static final String POOL = """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: lan, namespace: metallb-system}
            spec: {addresses: [198.18.0.0/28]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: lan, namespace: metallb-system}
            """;

    record Run(int exit, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ImportMetallbCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void readsStandardInputByDefaultAndWritesStandardOutput() {
        Run r = run(POOL);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("apiVersion: ferrite.dev/v1beta1\nkind: IPAddressPool\n"), r.out());
        assertTrue(r.out().contains("namespace: ferrite-system"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void dashMeansStandardInput() {
        assertEquals(run(POOL).out(), run(POOL, "-").out());
    }

    @Test
    void readsAFileAndWritesTheOutputFile(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("metallb.yaml");
        Path out = dir.resolve("ferrite.yaml");
        Files.writeString(in, POOL);
        Run r = run("", in.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(run(POOL).out(), Files.readString(out));
    }

    @Test
    void aMissingInputFileFailsWithItsName(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        Run r = run("", missing.toString());
        assertEquals(ImportMetallbCommand.EXIT_INVALID, r.exit());
        assertTrue(r.err().contains("cannot read " + missing), r.err());
    }

    @Test
    void unsupportedBgpFailsUnlessAllowedButIsWrittenWithAHeaderEitherWay() {
        String input = POOL + """
                ---
                apiVersion: metallb.io/v1beta2
                kind: BGPPeer
                metadata: {name: tor, namespace: metallb-system}
                spec: {peerASN: 64513, myASN: 64512, peerAddress: 198.18.20.1}
                """;
        Run strict = run(input);
        assertEquals(ImportMetallbCommand.EXIT_UNSUPPORTED, strict.exit());
        assertTrue(strict.out().startsWith("# Converted from MetalLB"), strict.out());
        assertTrue(strict.out().contains("#   - document 3 (BGPPeer metallb-system/tor): BGP is not supported"),
                strict.out());
        assertTrue(strict.err().contains("not converted: document 3"), strict.err());
        assertTrue(strict.err().contains("--allow-unsupported"), strict.err());

        Run allowed = run(input, "--allow-unsupported");
        assertEquals(0, allowed.exit(), allowed.err());
        assertEquals(strict.out(), allowed.out());
    }

    @Test
    void anInvalidResultPrintsTheValidatorsMessagesAndWritesNothing() {
        Run r = run("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: lan, namespace: metallb-system}
                spec: {addresses: [198.18.0.9-198.18.0.1]}
                """);
        assertEquals(ImportMetallbCommand.EXIT_INVALID, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("error: document 1 (IPAddressPool metallb-system/lan): spec.addresses[0]: \"198.18.0.9-198.18.0.1\": "
                + "range is reversed"),
                r.err());
        assertTrue(r.err().contains("nothing written"), r.err());
    }

    @Test
    void notYamlFailsWithTheSourceNamed() {
        Run r = run("a: [\n");
        assertEquals(ImportMetallbCommand.EXIT_INVALID, r.exit());
        assertTrue(r.err().startsWith("error: document 1 (not valid YAML): yaml: "), r.err());
        assertTrue(r.err().contains("import-metallb: standard input: 1 error(s); nothing written"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void namespaceOptionMovesTheConvertedObjects() {
        Run r = run(POOL, "--namespace", "lb");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("namespace: lb\n"), r.out());
        assertFalse(r.out().contains("ferrite-system"), r.out());
    }

    @Test
    void anInvalidNamespaceIsABadCommandLine() {
        Run r = run(POOL, "--namespace", "Not_A_Namespace");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--namespace \"Not_A_Namespace\""), r.err());
    }

    @Test
    void theSampleConvertsToTheExpectedFile(@TempDir Path dir) throws IOException {
        Path sample = Path.of("src/test/resources/metallb/metallb-v0.14.yaml");
        Path out = dir.resolve("out.yaml");
        Run r = run("", sample.toString(), "-o", out.toString(), "--allow-unsupported");
        assertEquals(0, r.exit(), r.err());
        assertEquals(Files.readString(Path.of("src/test/resources/metallb/metallb-v0.14.expected.yaml")), Files.readString(out));
    }

    @Test
    void anInvalidResultDoesNotCreateTheOutputFile(@TempDir Path dir) {
        Path out = dir.resolve("ferrite.yaml");
        Run r = run("""
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: {name: lan, namespace: metallb-system}
                spec: {ipAddressPools: [missing]}
                """, "-o", out.toString());
        assertEquals(ImportMetallbCommand.EXIT_INVALID, r.exit());
        assertTrue(r.err().contains("error: document 1 (L2Advertisement metallb-system/lan): spec.ipAddressPools[0]: \"missing\""), r.err());
        assertFalse(Files.exists(out), "an invalid import must leave no output file behind");
    }

    @Test
    void theLegacyConfigMapFromAFileIsWrittenWithItsBgpPartsListedAndExitsUnsupported(@TempDir Path dir)
            throws IOException {
        Path out = dir.resolve("ferrite.yaml");
        Run r = run("", "src/test/resources/metallb/legacy-configmap.yaml", "--output", out.toString());
        assertEquals(ImportMetallbCommand.EXIT_UNSUPPORTED, r.exit(), r.err());
        String written = Files.readString(out);
        assertTrue(written.contains("# NOT CONVERTED"), written);
        assertTrue(written.contains("pool routed uses protocol bgp"), written);
        assertTrue(written.contains("kind: L2Advertisement\nmetadata:\n  name: layer2\n"), written);
        assertTrue(r.err().contains("not converted: document 1 (ConfigMap metallb-system/config, pool routed): pool routed uses protocol bgp"), r.err());
    }

    @Test
    void helpListsTheOptionsAndExitCodes() {
        Run r = run("", "--help");
        assertEquals(0, r.exit());
        for (String expected : new String[] {"import-metallb", "[FILE|-]", "--output", "--namespace", "--allow-unsupported",
                "Exit codes:"}) {
            assertTrue(r.out().contains(expected), () -> expected + " missing from\n" + r.out());
        }
    }
}
