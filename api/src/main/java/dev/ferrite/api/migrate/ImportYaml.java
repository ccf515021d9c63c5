package dev.ferrite.api.migrate;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * The import's YAML: reading a stream into trees ({@link YamlDocuments}, as kubectl reads it)
 * and writing the output.
 *
 * <p>Writing keeps quotes only where YAML needs them (a string that reads as a number, a
 * boolean or null, in YAML 1.1 as kubectl reads it, stays quoted), so the output looks like
 * what an operator writes by hand; key order is the tree's order, which makes the output the
 * same for the same input.
 */
final class ImportYaml {

    /** The writer only; reading is {@link YamlDocuments}. */
    static final ObjectMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().stringQuotingChecker(new Yaml11Quoting()).build())
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    private ImportYaml() {
    }

    /**
     * Quotes every string that kubectl, reading YAML 1.1, would take for something else
     * ({@code yes}, {@code ~}, {@code 0x1F}, {@code 017}, {@code 1_000}), on top of what
     * Jackson quotes for YAML 1.2, so the output means what the tree says.
     */
    static final class Yaml11Quoting extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !readsAsItself(value);
        }

        @Override
        public boolean needToQuoteName(String name) {
            return super.needToQuoteName(name) || name.equals("<<") || !Yaml11Scalars.key(name).equals(Optional.of(name));
        }

        static boolean readsAsItself(String value) {
            return Yaml11Scalars.plain(value) instanceof Yaml11Scalars.Resolved.Value v && v.node().isString()
                    && v.node().stringValue().equals(value);
        }
    }

    /** The documents of a stream, or why it cannot be read. */
    sealed interface Read {
        /** One tree per document; an empty document (only comments, or nothing) is a null node. */
        record Documents(List<JsonNode> documents) implements Read {
        }

        /** {@code document} is the 1-based number of the document that failed. */
        record Unreadable(int document, String problem) implements Read {
        }
    }

    /** Every document of {@code text}; see {@link YamlDocuments}. */
    static Read readAll(String text) {
        return YamlDocuments.read(text);
    }

    static String render(ImportResult.Converted converted) {
        StringBuilder out = new StringBuilder();
        out.append("# Converted from MetalLB by ferrite import-metallb.\n");
        List<Finding> unsupported = converted.findings().stream()
                .filter(f -> f.kind() == Finding.Kind.UNSUPPORTED).toList();
        List<Finding> warnings = converted.findings().stream()
                .filter(f -> f.kind() == Finding.Kind.WARNING).toList();
        List<Finding> notes = converted.findings().stream()
                .filter(f -> f.kind() == Finding.Kind.NOTE).toList();
        if (!unsupported.isEmpty()) {
            out.append("#\n# NOT CONVERTED: these have no Ferrite equivalent and are left out\n");
            unsupported.forEach(f -> out.append("#   - ").append(f).append('\n'));
        }
        if (!warnings.isEmpty()) {
            out.append("#\n# Warnings:\n");
            warnings.forEach(f -> out.append("#   - ").append(f).append('\n'));
        }
        if (!notes.isEmpty()) {
            out.append("#\n# Notes:\n");
            notes.forEach(f -> out.append("#   - ").append(f).append('\n'));
        }
        for (ImportedDocument d : converted.documents()) {
            out.append("---\n# from ").append(d.origin()).append('\n');
            String yaml = MAPPER.writeValueAsString(d.body());
            out.append(yaml);
            if (!yaml.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
