package dev.ferrite.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.bench.BenchCommand;
import dev.ferrite.lab.LabCommand;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps docs/configuration.md true to the code. The conventions it relies on:
 * <ul>
 *   <li>every command has a heading that is exactly its full name ({@code ### ferrite lab drill});
 *   its section runs to the next heading of the same or a higher level, and names each of the
 *   command's options in backticks on its own ({@code `--node`});</li>
 *   <li>every CRD field has its full path in backticks ({@code `spec.serviceAllocation.priority`})
 *   in the section headed by the kind ({@code ### IPAddressPool}); label selectors and
 *   conditions are standard Kubernetes types, documented once, not field by field;</li>
 *   <li>every annotation or label key of {@link Annotations}, and each MetalLB alias of a
 *   {@code ferrite.dev/} key, appears in backticks somewhere in the document.</li>
 * </ul>
 * Text inside fenced code blocks is ignored, so examples never count as documentation.
 */
class ConfigurationReferenceTest {

    private static final Pattern FLAG = Pattern.compile("-{1,2}[A-Za-z][A-Za-z0-9-]*");
    private static final Pattern COMMAND_HEADING = Pattern.compile("ferrite(?: [a-z][a-z0-9-]*)*");
    private static final Pattern ANNOTATION_KEY =
            Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?/[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    /** Property sets of Kubernetes types documented as a whole: LabelSelector and Condition. */
    private static final List<Set<String>> STANDARD_TYPES = List.of(
            Set.of("matchExpressions", "matchLabels"),
            Set.of("lastTransitionTime", "message", "observedGeneration", "reason", "status", "type"));

    private static Path root;
    private static Reference reference;

    @BeforeAll
    static void readReference() throws IOException {
        root = repositoryRoot();
        reference = Reference.parse(Files.readString(root.resolve("docs/configuration.md"), StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandAndOptionOfTheCliIsDocumented() {
        List<String> missing = new ArrayList<>();
        visit(withLabAndBench(), cmd -> {
            CommandSpec spec = cmd.getCommandSpec();
            String name = spec.qualifiedName();
            Optional<Section> section = reference.section(name);
            if (section.isEmpty()) {
                missing.add("command `" + name + "` has no section headed \"" + name + "\"");
                return;
            }
            Set<String> documented = section.get().codeSpans();
            for (OptionSpec option : spec.options()) {
                if (option.hidden() || (spec.parent() != null && (option.usageHelp() || option.versionHelp()))) {
                    continue;
                }
                for (String flag : option.names()) {
                    if (!documented.contains(flag)) {
                        missing.add("option `" + flag + "` of `" + name + "` is not in its section");
                    }
                }
            }
        });
        assertTrue(missing.isEmpty(), "docs/configuration.md is missing:\n  " + String.join("\n  ", missing));
    }

    @Test
    void everyDocumentedCommandAndOptionExists() {
        List<String> stale = new ArrayList<>();
        CommandLine main = withLabAndBench();
        for (Section section : reference.sections()) {
            if (!COMMAND_HEADING.matcher(section.heading()).matches()) {
                continue;
            }
            Optional<CommandLine> cmd = find(main, section.heading());
            if (cmd.isEmpty()) {
                stale.add("section \"" + section.heading() + "\" documents a command `ferrite` does not have");
                continue;
            }
            Set<String> known = cmd.get().getCommandSpec().optionsMap().keySet();
            for (String span : section.codeSpans()) {
                if (FLAG.matcher(span).matches() && !known.contains(span)) {
                    stale.add("`" + span + "` is documented for `" + section.heading() + "`, which has no such option");
                }
            }
        }
        assertTrue(stale.isEmpty(), "docs/configuration.md documents what does not exist:\n  " + String.join("\n  ", stale));
    }

    @Test
    void everyFieldOfTheGeneratedCrdsIsDocumented() throws IOException {
        List<Path> crds;
        try (Stream<Path> files = Files.list(root.resolve("deploy/crds"))) {
            crds = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(!crds.isEmpty(), "no CRD YAML in " + root.resolve("deploy/crds"));
        List<String> missing = new ArrayList<>();
        for (Path file : crds) {
            CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file, StandardCharsets.UTF_8),
                    CustomResourceDefinition.class);
            String kind = crd.getSpec().getNames().getKind();
            Optional<Section> section = reference.section(kind);
            if (section.isEmpty()) {
                missing.add(kind + " (" + root.relativize(file) + ") has no section headed \"" + kind + "\"");
                continue;
            }
            Set<String> documented = section.get().codeSpans();
            Set<String> paths = new TreeSet<>();
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
                for (String part : List.of("spec", "status")) {
                    JSONSchemaProps schema = top.get(part);
                    if (schema != null) {
                        fieldPaths(part, schema, paths);
                    }
                }
            }
            for (String path : paths) {
                if (!documented.contains(path)) {
                    missing.add("field `" + path + "` of " + kind + " is not in its section");
                }
            }
        }
        assertTrue(missing.isEmpty(), "docs/configuration.md is missing:\n  " + String.join("\n  ", missing));
    }

    @Test
    void everyAnnotationKeyAndItsMetallbAliasesAreDocumented() throws IllegalAccessException {
        Set<String> documented = reference.codeSpans();
        List<String> missing = new ArrayList<>();
        int keys = 0;
        for (Field f : Annotations.class.getFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || f.getType() != String.class) {
                continue;
            }
            String key = (String) f.get(null);
            if (!ANNOTATION_KEY.matcher(key).matches()) {
                continue;
            }
            keys++;
            List<String> names = new ArrayList<>();
            names.add(key);
            if (key.startsWith(Annotations.PREFIX)) {
                names.addAll(Annotations.aliasesOf(key));
            }
            for (String name : names) {
                if (!documented.contains(name)) {
                    missing.add("`" + name + "` (Annotations." + f.getName() + ")");
                }
            }
        }
        assertTrue(keys > 0, "found no annotation keys in " + Annotations.class.getName());
        assertTrue(missing.isEmpty(), "docs/configuration.md is missing:\n  " + String.join("\n  ", missing));
    }

    // ---- the command tree ----

    /**
     * The {@code ferrite} command with {@code ferrite lab} and {@code ferrite bench}, which run
     * from the lab's and the benchmarks' jars of a checkout.
     */
    private static CommandLine withLabAndBench() {
        CommandLine lab = LabCommand.commandLine();
        lab.getCommandSpec().name("lab"); // its own name is "ferrite lab", for its usage line
        CommandLine bench = new CommandLine(new BenchCommand());
        bench.getCommandSpec().name("bench"); // its own name is "ferrite bench", for its usage line
        return Main.commandLine().addSubcommand("lab", lab).addSubcommand("bench", bench);
    }

    private static void visit(CommandLine cmd, Consumer<CommandLine> action) {
        action.accept(cmd);
        // a command with aliases is listed once per name; picocli's built-in help command is skipped
        for (CommandLine sub : new LinkedHashSet<>(cmd.getSubcommands().values())) {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                visit(sub, action);
            }
        }
    }

    private static Optional<CommandLine> find(CommandLine main, String qualifiedName) {
        String[] words = qualifiedName.split(" ");
        CommandLine at = main;
        for (int i = 1; i < words.length; i++) {
            at = at.getSubcommands().get(words[i]);
            if (at == null) {
                return Optional.empty();
            }
        }
        return Optional.of(at);
    }

    // ---- the CRD schemas ----

    /** Adds the dotted path of every field below {@code schema}; array items are transparent. */
    private static void fieldPaths(String prefix, JSONSchemaProps schema, Set<String> out) {
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        for (Map.Entry<String, JSONSchemaProps> e : properties.entrySet()) {
            String path = prefix + "." + e.getKey();
            out.add(path);
            JSONSchemaProps inner = e.getValue();
            if (inner.getItems() != null && inner.getItems().getSchema() != null) {
                inner = inner.getItems().getSchema();
            }
            if (inner.getProperties() != null && !inner.getProperties().isEmpty()
                    && !STANDARD_TYPES.contains(inner.getProperties().keySet())) {
                fieldPaths(path, inner, out);
            }
        }
    }

    // ---- the document ----

    /** Maven runs tests in the module directory; the repository root is the nearest parent with deploy/crds. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy/crds")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root (a directory with pom.xml and deploy/crds) above "
                + Path.of("").toAbsolutePath());
    }

    /** A heading and the text under it, up to the next heading of the same or a higher level. */
    record Section(int level, String heading, String text) {
        Set<String> codeSpans() {
            return Reference.codeSpans(text);
        }
    }

    /** docs/configuration.md as sections, with fenced code blocks removed. */
    record Reference(List<Section> sections, String text) {
        private static final Pattern HEADING = Pattern.compile("(#{1,6})\\s+(.*?)\\s*#*\\s*");
        private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");

        static Reference parse(String markdown) {
            List<String> lines = new ArrayList<>();
            boolean fenced = false;
            for (String line : markdown.split("\n", -1)) {
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (!fenced) {
                    lines.add(line);
                }
            }
            List<int[]> headings = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = HEADING.matcher(lines.get(i));
                if (m.matches()) {
                    headings.add(new int[] {i, m.group(1).length()});
                    titles.add(m.group(2).replace("`", "").strip());
                }
            }
            List<Section> sections = new ArrayList<>();
            for (int h = 0; h < headings.size(); h++) {
                int start = headings.get(h)[0];
                int level = headings.get(h)[1];
                int end = lines.size();
                for (int k = h + 1; k < headings.size(); k++) {
                    if (headings.get(k)[1] <= level) {
                        end = headings.get(k)[0];
                        break;
                    }
                }
                sections.add(new Section(level, titles.get(h), String.join("\n", lines.subList(start + 1, end))));
            }
            return new Reference(sections, String.join("\n", lines));
        }

        Optional<Section> section(String heading) {
            return sections.stream().filter(s -> s.heading().equals(heading)).findFirst();
        }

        Set<String> codeSpans() {
            return codeSpans(text);
        }

        static Set<String> codeSpans(String text) {
            Set<String> spans = new TreeSet<>();
            Matcher m = CODE_SPAN.matcher(text);
            while (m.find()) {
                spans.add(m.group(1).strip());
            }
            return spans;
        }
    }
}
