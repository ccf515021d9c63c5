package dev.ferrite.api.migrate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a multi-document YAML stream into one tree per document, as kubectl reads it.
 *
 * <p>It builds the trees from SnakeYAML's parser events itself, for three reasons. Scalars are
 * resolved by YAML 1.1's rules ({@link Yaml11Scalars}), which is what sigs.k8s.io/yaml (and so
 * kubectl) applies, where a YAML 1.2 reader would make {@code autoAssign: no} the string "no";
 * only an unquoted scalar is resolved, so {@code "no"} stays a string. An alias ({@code *base})
 * becomes the anchored node (shared, not copied, so memory stays the input's size), and a merge
 * key ({@code <<: *base}) adds the anchored mapping's entries the mapping does not set itself.
 * And the builder is a loop with its own stack, not a recursion, so no nesting can overflow the
 * thread's stack: nesting deeper than {@link #MAX_DEPTH} is an error, as is a key given twice in
 * one mapping and aliases expanding past {@link #expansionBudget} nodes (a "billion laughs"
 * document fails instead of filling the heap). There is no other size limit.
 */
final class YamlDocuments {

    /**
     * Deeper than any Kubernetes object, and well inside the 500 levels Jackson writes (the
     * output, and a value quoted in a message, are written by it).
     */
    static final int MAX_DEPTH = 200;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MERGE_KEY = "<<";
    private static final String TAG_PREFIX = "tag:yaml.org,2002:";
    private static final LoadSettings SETTINGS = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build();

    private YamlDocuments() {
    }

    /** Nodes (aliases expanded) a stream of {@code chars} characters may produce. */
    static long expansionBudget(int chars) {
        return 1_000_000L + 4L * chars;
    }

    static ImportYaml.Read read(String input) {
        String text;
        try {
            text = withoutDocumentByteOrderMarks(input);
        } catch (YamlProblemAt e) {
            return new ImportYaml.Read.Unreadable(e.document, e.getMessage());
        }
        Builder builder = new Builder(expansionBudget(text.length()));
        try {
            Iterator<Event> events = new Parse(SETTINGS).parseString(text).iterator();
            while (events.hasNext()) {
                builder.accept(events.next());
            }
            return new ImportYaml.Read.Documents(builder.documents);
        } catch (MarkedYamlEngineException e) {
            return new ImportYaml.Read.Unreadable(builder.document(), describe(e));
        } catch (ReaderException e) {
            return new ImportYaml.Read.Unreadable(builder.document(), "character " + codePoint(e.getCodePoint())
                    + " at offset " + e.getPosition() + " (line " + line(text, e.getPosition())
                    + ") is not allowed in YAML; is this a text file?");
        } catch (YamlEngineException e) {
            return new ImportYaml.Read.Unreadable(builder.document(), oneLine(e.getMessage()));
        } catch (YamlProblem e) {
            return new ImportYaml.Read.Unreadable(builder.document(), e.getMessage());
        }
    }

    private static final char BOM = '\uFEFF';

    /**
     * kubectl splits a stream at its {@code ---} lines and reads each document on its own, so a
     * byte order mark at the start of a document (files concatenated from an editor that writes
     * one) is read as one and dropped. Anywhere else it is refused, as go-yaml refuses it,
     * rather than becoming an invisible first character of a key.
     */
    static String withoutDocumentByteOrderMarks(String text) {
        if (text.indexOf(BOM) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int line = 1;
        int separators = 0;
        boolean contentBeforeSeparator = false;
        boolean afterSeparator = false;
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == BOM) {
                if (i == 0 || (i == lineStart && afterSeparator)) {
                    continue;
                }
                int document = Math.max(1, separators + (contentBeforeSeparator ? 1 : 0));
                throw new YamlProblemAt(document, "a byte order mark (U+FEFF) inside a document (line " + line
                        + "); only the start of a document may have one: remove it");
            }
            out.append(ch);
            if (ch == '\n') {
                String previous = text.substring(lineStart, i).strip();
                afterSeparator = previous.equals("---") || previous.startsWith("--- ");
                if (afterSeparator) {
                    separators++;
                } else if (separators == 0 && !previous.isEmpty() && !previous.startsWith("#")) {
                    contentBeforeSeparator = true;
                }
                line++;
                lineStart = i + 1;
            }
        }
        return out.toString();
    }

    /** A problem found before parsing, with the document it is in. */
    private static final class YamlProblemAt extends RuntimeException {
        final int document;

        YamlProblemAt(int document, String message) {
            super(message, null, false, false);
            this.document = document;
        }
    }

    /** SnakeYAML's problem in one line with its position, without its excerpt of the source. */
    static String describe(MarkedYamlEngineException e) {
        StringBuilder b = new StringBuilder();
        if (e.getProblem() != null) {
            b.append(oneLine(e.getProblem()));
        }
        Optional<Mark> at = e.getProblemMark().or(e::getContextMark);
        at.ifPresent(m -> b.append(position(m)));
        if (e.getContext() != null && !e.getContext().isBlank()) {
            b.append(" (").append(oneLine(e.getContext()))
                    .append(e.getContextMark().filter(m -> at.isEmpty() || m != at.get()).map(m -> " at" + position(m))
                            .orElse(""))
                    .append(')');
        }
        return b.isEmpty() ? "cannot be read" : b.toString();
    }

    private static String codePoint(int cp) {
        return String.format(java.util.Locale.ROOT, "U+%04X", cp);
    }

    /** The 1-based line of the {@code codePoints}-th code point of {@code text}. */
    private static int line(String text, int codePoints) {
        int line = 1;
        int end = text.offsetByCodePoints(0, Math.min(codePoints, text.codePointCount(0, text.length())));
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String oneLine(String s) {
        return s == null ? "cannot be read" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String position(Mark m) {
        return " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")";
    }

    private static String position(Event e) {
        return e.getStartMark().map(YamlDocuments::position).orElse("");
    }

    /** A problem of the YAML itself (alias, duplicate key, depth, expansion), with its position. */
    private static final class YamlProblem extends RuntimeException {
        YamlProblem(String message, Event at) {
            super(message + position(at), null, false, false);
        }
    }

    /** A mapping or list being filled, with what anchors it and, for a mapping, the key waiting for its value. */
    private static final class Open {
        final JsonNode node;
        final String anchor;
        final long producedAtStart;
        final List<JsonNode> merges = new ArrayList<>();
        String key;
        boolean keyIsMerge;

        Open(JsonNode node, String anchor, long producedAtStart) {
            this.node = node;
            this.anchor = anchor;
            this.producedAtStart = producedAtStart;
        }
    }

    /** Turns events into trees, one document at a time. */
    private static final class Builder {
        final List<JsonNode> documents = new ArrayList<>();
        private final Deque<Open> open = new ArrayDeque<>();
        private final Map<String, JsonNode> anchors = new HashMap<>();
        /** Expanded size of each anchored node, which is what an alias of it adds. */
        private final Map<String, Long> anchoredSizes = new HashMap<>();
        private final long budget;
        private long produced;
        private JsonNode root;
        private int started;

        Builder(long budget) {
            this.budget = budget;
        }

        /** The 1-based number of the document being read (1 before the first). */
        int document() {
            return Math.max(1, started);
        }

        void accept(Event e) {
            switch (e.getEventId()) {
                case DocumentStart -> {
                    started++;
                    anchors.clear();
                    anchoredSizes.clear();
                    root = null;
                }
                case DocumentEnd -> documents.add(root);
                case MappingStart -> start(e, NODES.objectNode());
                case SequenceStart -> start(e, NODES.arrayNode());
                case MappingEnd, SequenceEnd -> end(e);
                case Scalar -> scalar((ScalarEvent) e);
                case Alias -> alias((AliasEvent) e);
                default -> {
                    // stream start and end, comments: nothing to build
                }
            }
        }

        private void start(Event e, JsonNode node) {
            if (open.size() >= MAX_DEPTH) {
                throw new YamlProblem("nested deeper than " + MAX_DEPTH + " levels; no Kubernetes object is", e);
            }
            if (!open.isEmpty() && open.peek().node.isObject() && open.peek().key == null) {
                throw new YamlProblem("a mapping key is a " + (node.isObject() ? "mapping" : "list")
                        + "; Kubernetes keys are strings", e);
            }
            count(e);
            open.push(new Open(node, anchorOf(e), produced - 1));
        }

        private void end(Event e) {
            Open done = open.pop();
            if (done.node instanceof ObjectNode mapping) {
                merge(mapping, done.merges, e);
            }
            if (done.anchor != null) {
                anchors.put(done.anchor, done.node);
                anchoredSizes.put(done.anchor, produced - done.producedAtStart);
            }
            place(done.node, e, false);
        }

        private void scalar(ScalarEvent e) {
            Open parent = open.peek();
            if (parent != null && parent.node.isObject() && parent.key == null) {
                key(parent, e);
                return;
            }
            count(e);
            JsonNode value = value(e);
            String anchor = anchorOf(e);
            if (anchor != null) {
                anchors.put(anchor, value);
                anchoredSizes.put(anchor, 1L);
            }
            place(value, e, false);
        }

        private void key(Open parent, ScalarEvent e) {
            if (e.getAnchor().isPresent()) {
                anchors.put(e.getAnchor().get().getValue(), NODES.stringNode(e.getValue()));
                anchoredSizes.put(e.getAnchor().get().getValue(), 1L);
            }
            boolean plain = e.isPlain() && explicitTag(e).isEmpty();
            if (plain && e.getValue().equals(MERGE_KEY)) {
                parent.key = MERGE_KEY;
                parent.keyIsMerge = true;
                return;
            }
            Optional<String> key = plain ? Yaml11Scalars.key(e.getValue()) : Optional.of(e.getValue());
            if (key.isEmpty()) {
                throw new YamlProblem("a mapping key is null (" + (e.getValue().isEmpty() ? "empty" : e.getValue())
                        + "); Kubernetes keys are strings", e);
            }
            if (parent.node.has(key.get())) {
                throw new YamlProblem("key \"" + key.get() + "\" is given twice in one mapping", e);
            }
            parent.key = key.get();
            parent.keyIsMerge = false;
        }

        private void alias(AliasEvent e) {
            String name = e.getAlias().getValue();
            JsonNode target = anchors.get(name);
            if (target == null) {
                throw new YamlProblem("alias *" + name + " refers to no anchor &" + name
                        + " defined before it in this document (an anchor cannot refer to itself)", e);
            }
            Open parent = open.peek();
            if (parent != null && parent.node.isObject() && parent.key == null) {
                if (!target.isString()) {
                    throw new YamlProblem("a mapping key is the alias *" + name + " of a "
                            + (target.isObject() ? "mapping" : target.isArray() ? "list" : "non-string")
                            + "; Kubernetes keys are strings", e);
                }
                if (parent.node.has(target.stringValue())) {
                    throw new YamlProblem("key \"" + target.stringValue() + "\" is given twice in one mapping", e);
                }
                parent.key = target.stringValue();
                parent.keyIsMerge = false;
                return;
            }
            // Shared, not copied: nothing downstream changes an input tree; the budget counts the expansion.
            produced += anchoredSizes.getOrDefault(name, 1L);
            if (produced > budget) {
                throw new YamlProblem("aliases expand to more than " + budget + " nodes; refusing to expand further", e);
            }
            place(target, e, true);
        }

        /** Puts a finished node into its parent, or makes it the document's root. */
        private void place(JsonNode node, Event e, boolean alias) {
            Open parent = open.peek();
            if (parent == null) {
                root = node;
            } else if (parent.node instanceof ArrayNode list) {
                list.add(node);
            } else {
                ObjectNode mapping = (ObjectNode) parent.node;
                if (parent.keyIsMerge && (node.isObject() || node.isArray())) {
                    parent.merges.add(node);
                } else if (parent.keyIsMerge) {
                    throw new YamlProblem("merge key << takes a mapping or a list of mappings", e);
                } else {
                    mapping.set(parent.key, node);
                }
                parent.key = null;
                parent.keyIsMerge = false;
            }
        }

        private static void merge(ObjectNode mapping, List<JsonNode> merges, Event at) {
            for (JsonNode merge : merges) {
                for (JsonNode source : merge.isArray() ? merge : List.of(merge)) {
                    if (!source.isObject()) {
                        throw new YamlProblem("merge key << takes a mapping or a list of mappings", at);
                    }
                    for (Map.Entry<String, JsonNode> entry : source.properties()) {
                        if (!mapping.has(entry.getKey())) {
                            mapping.set(entry.getKey(), entry.getValue());
                        }
                    }
                }
            }
        }

        private void count(Event e) {
            produced++;
            if (produced > budget) {
                throw new YamlProblem("more than " + budget + " nodes; refusing to read further", e);
            }
        }

        private static String anchorOf(Event e) {
            return e instanceof NodeEvent n && n.getAnchor().isPresent() ? n.getAnchor().get().getValue() : null;
        }

        /** A scalar value: resolved when unquoted and untagged, else a string unless a standard tag says otherwise. */
        private static JsonNode value(ScalarEvent e) {
            Optional<String> tag = explicitTag(e);
            if (tag.isEmpty()) {
                return e.isPlain() ? resolved(e, e.getValue()) : NODES.stringNode(e.getValue());
            }
            String t = tag.get();
            if (!t.startsWith(TAG_PREFIX) || t.equals(TAG_PREFIX + "str") || t.equals(TAG_PREFIX + "binary")
                    || t.equals(TAG_PREFIX + "timestamp")) {
                return NODES.stringNode(e.getValue());
            }
            String expected = t.substring(TAG_PREFIX.length());
            JsonNode node = resolved(e, e.getValue());
            boolean fits = switch (expected) {
                case "int" -> node.isIntegralNumber();
                case "float" -> node.isNumber();
                case "bool" -> node.isBoolean();
                case "null" -> node.isNull();
                default -> true;
            };
            if (!fits) {
                throw new YamlProblem("\"" + e.getValue() + "\" cannot be read as the !!" + expected + " its tag says", e);
            }
            return node;
        }

        private static JsonNode resolved(ScalarEvent e, String text) {
            Yaml11Scalars.Resolved r = Yaml11Scalars.plain(text);
            if (r instanceof Yaml11Scalars.Resolved.NotJson n) {
                throw new YamlProblem(n.problem(), e);
            }
            return ((Yaml11Scalars.Resolved.Value) r).node();
        }

        /** The scalar's tag when one is written (a lone {@code !} means "a string"). */
        private static Optional<String> explicitTag(ScalarEvent e) {
            return e.getTag().map(t -> t.equals("!") ? TAG_PREFIX + "str" : t);
        }
    }
}
