package dev.ferrite.api.migrate;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Reads a multi-document YAML stream into trees and writes the import's output. Quotes are
 * kept only where YAML needs them (a string that reads as a number or boolean stays quoted),
 * so the output looks like what an operator writes by hand; key order is the tree's order,
 * which makes the output the same for the same input.
 */
final class ImportYaml {

    static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    private ImportYaml() {
    }

    /** Every document of the stream; an empty document (only comments, or nothing) is a null node. */
    static List<JsonNode> readAll(String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                documents.add(it.nextValue());
            }
        }
        return documents;
    }

    static JsonNode readTree(String text) {
        return MAPPER.readTree(text);
    }

    static String render(ImportResult.Converted converted) {
        StringBuilder out = new StringBuilder();
        out.append("# Converted from MetalLB by ferrite import-metallb.\n");
        List<Finding> unsupported = converted.findings().stream()
                .filter(f -> f.kind() == Finding.Kind.UNSUPPORTED).toList();
        List<Finding> notes = converted.findings().stream()
                .filter(f -> f.kind() == Finding.Kind.NOTE).toList();
        if (!unsupported.isEmpty()) {
            out.append("#\n# NOT CONVERTED: Ferrite announces over layer 2 (ARP/NDP) only; these have no equivalent\n");
            unsupported.forEach(f -> out.append("#   - ").append(f).append('\n'));
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
