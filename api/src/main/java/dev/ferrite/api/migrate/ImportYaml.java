package dev.ferrite.api.migrate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Reads a multi-document YAML stream into trees, and writes the import's output.
 *
 * <p>Reading goes token by token rather than through Jackson's tree reader because that one
 * leaves an alias ({@code *base}) as the string {@code "base"}: here an anchored node is
 * remembered per document and an alias becomes a copy of it, and a YAML 1.1 merge key
 * ({@code <<: *base}) adds the anchored mapping's entries the mapping does not set itself, as
 * kubectl reads them. A key given twice in one mapping is an error, as it is for kubectl. What
 * aliases may expand to is bounded ({@link #expansionBudget}), so a "billion laughs" document
 * fails instead of filling the heap; there is no per-document size limit besides that (SnakeYAML's
 * default of 3 MiB refused real `kubectl get -o yaml` dumps).
 *
 * <p>Writing keeps quotes only where YAML needs them (a string that reads as a number or
 * boolean stays quoted), so the output looks like what an operator writes by hand; key order
 * is the tree's order, which makes the output the same for the same input.
 */
final class ImportYaml {

    private static final int CODE_POINT_LIMIT = Integer.MAX_VALUE;

    static final ObjectMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .loadSettings(LoadSettings.builder().setCodePointLimit(CODE_POINT_LIMIT).build())
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE).maxDocumentLength(-1).build())
                    .build())
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MERGE_KEY = "<<";

    private ImportYaml() {
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

    /** Nodes (aliases expanded) a stream of {@code chars} characters may produce. */
    static long expansionBudget(int chars) {
        return 1_000_000L + 4L * chars;
    }

    static Read readAll(String text) {
        Reader reader = new Reader(expansionBudget(text.length()));
        try (JsonParser parser = MAPPER.createParser(text)) {
            List<JsonNode> documents = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                reader.anchors.clear();
                documents.add(reader.value(parser, token));
                reader.document++;
            }
            return new Read.Documents(documents);
        } catch (JacksonException e) {
            return new Read.Unreadable(reader.document, describe(e));
        } catch (YamlProblem e) {
            return new Read.Unreadable(reader.document, e.getMessage());
        }
    }

    /** A parser message in one line, with the position, without Java types or SnakeYAML's source excerpt. */
    static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? "cannot be read" : e.getOriginalMessage();
        StringBuilder lines = new StringBuilder();
        for (String line : message.split("\\R")) {
            String l = line.strip();
            // SnakeYAML repeats the offending line and a caret under it, and names its reader.
            if (l.isEmpty() || l.startsWith("in reader") || l.startsWith("^") || line.startsWith("    ")) {
                continue;
            }
            if (!lines.isEmpty()) {
                lines.append("; ");
            }
            lines.append(l);
        }
        TokenStreamLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            lines.append(" (line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr()).append(')');
        }
        return lines.toString();
    }

    /** A problem of the YAML itself (alias, duplicate key, expansion), with its position. */
    private static final class YamlProblem extends RuntimeException {
        YamlProblem(String message, JsonParser at) {
            super(message + position(at), null, false, false);
        }

        private static String position(JsonParser p) {
            TokenStreamLocation l = p.currentTokenLocation();
            return l == null || l.getLineNr() <= 0 ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
        }
    }

    /** Builds trees from tokens, resolving anchors and aliases within the current document. */
    private static final class Reader {
        final Map<String, JsonNode> anchors = new HashMap<>();
        private final Map<JsonNode, Long> sizes = new IdentityHashMap<>();
        private final long budget;
        private long produced;
        int document = 1;

        Reader(long budget) {
            this.budget = budget;
        }

        JsonNode value(JsonParser p, JsonToken token) {
            String anchor = p.getObjectId() == null ? null : p.getObjectId().toString();
            JsonNode node = switch (token) {
                case START_OBJECT -> object(p);
                case START_ARRAY -> array(p);
                case VALUE_STRING -> isAlias(p) ? alias(p) : count(NODES.stringNode(p.getString()), 1);
                case VALUE_NUMBER_INT -> count(switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                }, 1);
                case VALUE_NUMBER_FLOAT -> count(NODES.numberNode(p.getDecimalValue()), 1);
                case VALUE_TRUE -> count(NODES.booleanNode(true), 1);
                case VALUE_FALSE -> count(NODES.booleanNode(false), 1);
                case VALUE_NULL -> count(NODES.nullNode(), 1);
                case VALUE_EMBEDDED_OBJECT -> count(NODES.stringNode(p.getString()), 1);
                default -> throw new YamlProblem("unexpected " + token, p);
            };
            if (anchor != null) {
                anchors.put(anchor, node);
            }
            return node;
        }

        private static boolean isAlias(JsonParser p) {
            return p instanceof YAMLParser y && y.isCurrentAlias();
        }

        private JsonNode alias(JsonParser p) {
            String name = p.getString();
            JsonNode target = anchors.get(name);
            if (target == null) {
                throw new YamlProblem("alias *" + name + " refers to no anchor &" + name + " defined before it in this document", p);
            }
            // Shared, not copied: nothing downstream changes an input tree, and sharing keeps
            // memory to the input's size; the budget still counts the expansion.
            long size = sizes.getOrDefault(target, 1L);
            produced += size;
            if (produced > budget) {
                throw new YamlProblem("aliases expand to more than " + budget + " nodes; refusing to expand further", p);
            }
            return target;
        }

        private JsonNode count(JsonNode node, long size) {
            // Plain nodes are bounded by the input's length; only aliases can exceed the budget.
            produced += 1;
            if (size > 1) {
                sizes.put(node, size);
            }
            return node;
        }

        private ObjectNode object(JsonParser p) {
            ObjectNode node = NODES.objectNode();
            List<JsonNode> merges = new ArrayList<>();
            long size = 1;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                String key = p.currentName();
                JsonNode value = value(p, p.nextToken());
                size += sizes.getOrDefault(value, 1L);
                if (key.equals(MERGE_KEY) && (value.isObject() || value.isArray())) {
                    merges.add(value);
                    continue;
                }
                if (node.has(key)) {
                    throw new YamlProblem("key \"" + key + "\" is given twice in one mapping", p);
                }
                node.set(key, value);
            }
            for (JsonNode merge : merges) {
                for (JsonNode source : merge.isArray() ? merge : List.of(merge)) {
                    if (!source.isObject()) {
                        throw new YamlProblem("merge key << takes a mapping or a list of mappings", p);
                    }
                    for (Map.Entry<String, JsonNode> e : source.properties()) {
                        if (!node.has(e.getKey())) {
                            node.set(e.getKey(), e.getValue());
                        }
                    }
                }
            }
            produced++;
            sizes.put(node, size);
            return node;
        }

        private ArrayNode array(JsonParser p) {
            ArrayNode node = NODES.arrayNode();
            long size = 1;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                JsonNode value = value(p, t);
                size += sizes.getOrDefault(value, 1L);
                node.add(value);
            }
            produced++;
            sizes.put(node, size);
            return node;
        }
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
