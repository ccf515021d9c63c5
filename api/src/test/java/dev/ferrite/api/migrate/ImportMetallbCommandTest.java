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
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static Run run(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ImportMetallbCommand(new ByteArrayInputStream(stdin)));
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

    // ---- odd inputs: each ends in one located error line and exit 1, or converts; never a trace ----

    private static final Pattern ERROR_LINE = Pattern.compile("error: document \\d+( item \\d+)? \\([^)]*\\): [^:]+: .+");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withPrefix(byte[] prefix, byte[] rest) {
        byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, out, prefix.length, rest.length);
        return out;
    }

    static Stream<Arguments> oddInputs() {
        byte[] garbage = new byte[8192];
        new java.util.Random(14).nextBytes(garbage);
        garbage[0] = (byte) 0xC3;
        garbage[1] = (byte) 0x28;
        StringBuilder big = new StringBuilder(POOL.replace("metadata: {name: lan, namespace: metallb-system}\nspec",
                "metadata:\n  name: lan\n  namespace: metallb-system\n  annotations:\n    note: \"" + "x".repeat(5 * 1024 * 1024)
                        + "\"\nspec"));
        String deep = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: " + "{a: ".repeat(50_000) + "1"
                + "}".repeat(50_000) + "\n";
        return Stream.of(
                Arguments.of("an empty file", new byte[0], 1, "holds no objects"),
                Arguments.of("only --- separators", utf8("---\n---\n---\n"), 1, "holds no objects"),
                Arguments.of("only comments", utf8("# metallb\n\n"), 1, "holds no objects"),
                Arguments.of("binary garbage", garbage, 1, "is not valid UTF-8; is this a text file?"),
                Arguments.of("a NUL byte", utf8("apiVersion: v1\u0000\n"), 1, "character U+0000 at offset 14 (line 1)"),
                Arguments.of("a 5 MiB single document", utf8(big.toString()), 0, ""),
                Arguments.of("nesting 50,000 deep", utf8(deep), 1, "nested deeper than"),
                Arguments.of("a key twice", utf8(POOL.replace("kind: IPAddressPool\n", "kind: IPAddressPool\nkind: IPAddressPool\n")),
                        1, "key \"kind\" is given twice in one mapping (line 3, column 1)"),
                Arguments.of("a UTF-8 byte order mark", withPrefix(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(POOL)), 0, ""),
                Arguments.of("UTF-16 with a byte order mark", withPrefix(new byte[] {(byte) 0xFF, (byte) 0xFE},
                        POOL.getBytes(StandardCharsets.UTF_16LE)), 0, ""),
                Arguments.of("CRLF line ends", utf8(POOL.replace("\n", "\r\n")), 0, ""),
                Arguments.of("a tab as indentation", utf8(POOL.replace("spec: {addresses: [198.18.0.0/28]}",
                        "spec:\n\taddresses: [198.18.0.0/28]")), 1, "(line 5, column 1)"),
                Arguments.of("a scalar item in a List", utf8("apiVersion: v1\nkind: List\nitems: [7]\n"), 1,
                        "document 1 item 1 (a whole number): (document): 7 is not a Kubernetes object"),
                Arguments.of("a document that is a list", utf8("- a\n- b\n"), 1, "is not a Kubernetes object"),
                Arguments.of("infinity", utf8(POOL.replace("198.18.0.0/28", ".inf")), 1, "cannot hold"),
                Arguments.of("a truncated flow mapping", utf8("apiVersion: v1\nkind: Service\nmetadata: {name: web\n"), 1,
                        "(line 4, column 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddInputs")
    void anOddInputEndsInALocatedErrorAndExitOneOrConverts(String what, byte[] input, int exit, String expected) {
        Run r = run(input);
        assertEquals(exit, r.exit(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.err().contains("java.")
                || r.err().contains("internal error"), r.err());
        if (exit == 1) {
            List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
            assertFalse(errors.isEmpty(), r.err());
            errors.forEach(e -> assertTrue(ERROR_LINE.matcher(e).matches(), "not error: document N (...): field: message: " + e));
            assertEquals("", r.out(), "nothing written");
        } else {
            assertTrue(r.out().contains("kind: IPAddressPool"), r.out().substring(0, Math.min(500, r.out().length())));
        }
    }
}
