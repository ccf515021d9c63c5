package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** A YAML stream read into trees as kubectl reads it; the trees written as JSON. */
class YamlDocumentsTest {

    private static List<String> documents(String yaml) {
        ImportYaml.Read r = YamlDocuments.read(yaml);
        List<String> out = new ArrayList<>();
        for (JsonNode d : assertInstanceOf(ImportYaml.Read.Documents.class, r, r::toString).documents()) {
            out.add(String.valueOf(d));
        }
        return out;
    }

    private static String problem(String yaml) {
        return assertInstanceOf(ImportYaml.Read.Unreadable.class, YamlDocuments.read(yaml), yaml).problem();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // the brief's cases: ~, null and the empty value are null; yes/no/on/off booleans; quoted stays a string
        "autoAssign: ~              | {\"autoAssign\":null}",
        "autoAssign: null           | {\"autoAssign\":null}",
        "autoAssign:                | {\"autoAssign\":null}",
        "autoAssign: no             | {\"autoAssign\":false}",
        "autoAssign: On             | {\"autoAssign\":true}",
        "autoAssign: 'no'           | {\"autoAssign\":\"no\"}",
        "autoAssign: \"~\"          | {\"autoAssign\":\"~\"}",
        "autoAssign: \"\"           | {\"autoAssign\":\"\"}",
        "autoAssign: !!str yes      | {\"autoAssign\":\"yes\"}",
        "priority: !!int \"12\"     | {\"priority\":12}",
        "priority: 0x10             | {\"priority\":16}",
        "addresses: [~, yes, '10.0.0.0/8'] | {\"addresses\":[null,true,\"10.0.0.0/8\"]}",
        "on: 1                      | {\"true\":1}",
        "'on': 1                    | {\"on\":1}",
        "a: >-\\n  no\\n            | {\"a\":\"no\"}"})
    void scalarsAreReadAsKubectlReadsThem(String yaml, String json) {
        assertEquals(List.of(json), documents(yaml.replace("\\n", "\n")));
    }

    @Test
    void anchorsAliasesAndMergeKeysAreResolved() {
        assertEquals(List.of("{\"base\":{\"autoAssign\":false,\"avoidBuggyIPs\":true},\"pool\":{\"avoidBuggyIPs\":false,"
                + "\"autoAssign\":false},\"list\":[{\"autoAssign\":false,\"avoidBuggyIPs\":true}]}"), documents("""
                base: &b {autoAssign: no, avoidBuggyIPs: yes}
                pool:
                  <<: *b
                  avoidBuggyIPs: no
                list: [*b]
                """));
    }

    @Test
    void documentsAreCountedAndEmptyOnesAreNull() {
        assertEquals(List.of(), documents(""));
        assertEquals(List.of(), documents("# only a comment\n"));
        assertEquals(List.of("null", "null"), documents("---\n---\n"));
        assertEquals(List.of("{\"a\":1}", "null", "{\"b\":2}"), documents("a: 1\n---\n---\nb: 2\n"));
    }

    @Test
    void aByteOrderMarkAndCrlfLineEndsAreReadAsPlainText() {
        assertEquals(List.of("{\"a\":\"x\",\"b\":[1,2]}"), documents("\uFEFFa: x\r\nb:\r\n- 1\r\n- 2\r\n"));
    }

    @Test
    void aByteOrderMarkStartingAnyDocumentIsDroppedAsKubectlDropsIt() {
        // what `cat a.yaml b.yaml` gives when an editor saved both with one
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), documents("\uFEFFa: 1\n---\n\uFEFFb: 2\n"));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), documents("a: 1\r\n---\r\n\uFEFFb: 2\r\n"));
    }

    @Test
    void aByteOrderMarkInsideADocumentIsRefusedNotMadePartOfAKey() {
        assertEquals("a byte order mark (U+FEFF) inside a document (line 2); only the start of a document may have one: "
                + "remove it", problem("a: 1\n\uFEFFb: 2\n"));
        ImportYaml.Read r = YamlDocuments.read("a: 1\n---\nb: 2\n---\nc: \uFEFF3\n");
        assertEquals(3, assertInstanceOf(ImportYaml.Read.Unreadable.class, r).document());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a key twice           | a: 1\\nb: 2\\na: 3\\n                      | key \"a\" is given twice in one mapping (line 3, column 1)",
        "yes and on, both true | on: 1\\nyes: 2\\n                          | key \"true\" is given twice",
        "a null key            | ~: 1\\n                                    | a mapping key is null",
        "a list as key         | ? [a]\\n: 1\\n                             | a mapping key is a list",
        "an unknown alias      | a: *x\\n                                   | alias *x refers to no anchor &x",
        "an anchor in itself   | a: &x [*x]\\n                              | alias *x refers to no anchor &x",
        "a tab as indentation  | a:\\n\\tb: 1\\n                            | (line 2, column 1)",
        "an unclosed list      | a: [1, 2\\n                                | (line 2, column 1)",
        "infinity              | a: .inf\\n                                 | JSON (and so the API server) cannot hold",
        "a tag it does not fit | a: !!int ten\\n                            | \"ten\" cannot be read as the !!int its tag says",
        "a NUL character       | a: b\\u0000\\n                             | character U+0000 at offset 4 (line 1)",
        "a merge of a scalar   | a: &x 1\\nb: {<<: *x}\\n                   | merge key << takes a mapping"})
    void aBrokenStreamIsOneProblemWithItsPosition(String what, String yaml, String expected) {
        String problem = problem(yaml.replace("\\n", "\n").replace("\\t", "\t").replace("\\u0000", "\u0000"));
        assertTrue(problem.contains(expected), problem);
        assertTrue(!problem.contains("java.") && !problem.contains("Exception") && !problem.contains("\n"), problem);
    }

    @Test
    void nestingDeeperThanAnyKubernetesObjectIsRefusedWithoutOverflowingTheStack() {
        String deep = "a: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n";
        assertTrue(problem(deep).startsWith("nested deeper than " + YamlDocuments.MAX_DEPTH + " levels"), problem(deep));
        int allowed = YamlDocuments.MAX_DEPTH - 1;
        assertEquals(1, documents("a: " + "[".repeat(allowed) + "]".repeat(allowed) + "\n").size());
    }

    @Test
    void oneDocumentOfManyMebibytesIsRead() {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n");
        for (int i = 0; yaml.length() < 5 * 1024 * 1024 + 1000; i++) {
            yaml.append("  key-").append(i).append(": \"").append("x".repeat(200)).append("\"\n");
        }
        List<String> docs = documents(yaml.toString());
        assertEquals(1, docs.size());
        assertTrue(docs.get(0).length() > 5_000_000, () -> docs.get(0).length() + " characters");
    }
}
