package dev.ferrite.api.migrate;

import dev.ferrite.api.config.KubernetesNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferrite import-metallb}: reads a MetalLB configuration, writes Ferrite's. The work is
 * {@link MetallbImport}; this class reads the input, writes the output and turns the outcome
 * into an exit code and messages on stderr.
 */
@Command(name = "import-metallb", mixinStandardHelpOptions = true,
        description = {
            "Converts a MetalLB configuration into Ferrite's.",
            "Reads any mix of metallb.io IPAddressPool, L2Advertisement and AddressPool objects, the legacy "
                    + "MetalLB ConfigMap (data.config with address-pools:) and Services (MetalLB annotations are "
                    + "renamed to ferrite.dev/...). BGP objects and pools, and any "
                    + "other document, are listed as not converted and left out. YAML is read as kubectl reads it "
                    + "(YAML 1.1: unquoted yes/no/on/off are booleans, ~ is null). The result is validated like the "
                    + "controller does."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:converted",
            "1:the input or the converted configuration is invalid (nothing written), or I/O failed",
            "2:bad command line",
            "3:converted, but some of the input has no Ferrite equivalent (see the output's header); "
                    + "--allow-unsupported accepts that"})
public final class ImportMetallbCommand implements Callable<Integer> {

    public static final int EXIT_CONVERTED = 0;
    public static final int EXIT_INVALID = 1;
    public static final int EXIT_UNSUPPORTED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "-", paramLabel = "FILE|-",
            description = "MetalLB YAML (several documents allowed); - reads standard input (default)")
    String input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output")
    Path output;

    @Option(names = "--namespace", paramLabel = "NAMESPACE",
            description = "namespace of every converted pool and advertisement (default: the source's, "
                    + "with metallb-system becoming ferrite-system)")
    String namespace;

    @Option(names = "--allow-unsupported",
            description = "exit 0 even when BGP or other content could not be converted")
    boolean allowUnsupported;

    private final InputStream stdin;

    public ImportMetallbCommand() {
        this(System.in);
    }

    /** @param stdin what {@code -} reads */
    public ImportMetallbCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (namespace != null) {
            KubernetesNames.dns1123LabelProblem(namespace).ifPresent(problem -> {
                throw new ParameterException(spec.commandLine(), "--namespace \"" + namespace + "\": " + problem);
            });
        }
        byte[] bytes;
        try {
            bytes = input.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(input));
        } catch (IOException | OutOfMemoryError e) {
            err.println("import-metallb: cannot read " + source(input) + ": " + (e instanceof OutOfMemoryError
                    ? "it does not fit in memory (raise the heap, e.g. FERRITE_JAVA_OPTS=-Xmx1g)" : e.getMessage()));
            return EXIT_INVALID;
        }
        InputText.Decoded decoded = InputText.decode(bytes);
        if (decoded instanceof InputText.Decoded.Undecodable u) {
            err.println("error: " + new ImportError(Source.document(1, "not text"), "(input)", u.problem()));
            err.println("import-metallb: " + source(input) + ": 1 error(s); nothing written. Fix the source and import again.");
            return EXIT_INVALID;
        }
        String text = ((InputText.Decoded.Text) decoded).text();

        ImportResult result;
        try {
            result = MetallbImport.convert(text, Optional.ofNullable(namespace));
        } catch (OutOfMemoryError e) {
            err.println("import-metallb: " + source(input) + " does not fit in memory while converting; raise the heap "
                    + "(e.g. FERRITE_JAVA_OPTS=-Xmx1g) and import again");
            return EXIT_INVALID;
        } catch (RuntimeException | StackOverflowError e) {
            // A bug, not the input's fault; still one line, never a stack trace for the operator.
            err.println("import-metallb: internal error while converting " + source(input) + ": " + e
                    + "; please report it with the input");
            return EXIT_INVALID;
        }
        if (result instanceof ImportResult.Invalid invalid) {
            for (ImportError e : invalid.errors()) {
                err.println("error: " + e);
            }
            err.println("import-metallb: " + source(input) + ": " + invalid.errors().size()
                    + " error(s); nothing written. Fix the source and import again.");
            return EXIT_INVALID;
        }
        ImportResult.Converted converted = (ImportResult.Converted) result;
        try {
            write(converted.render());
        } catch (IOException e) {
            err.println("import-metallb: cannot write " + output + ": " + e.getMessage());
            return EXIT_INVALID;
        }
        for (Finding f : converted.findings()) {
            err.println(switch (f.kind()) {
                case UNSUPPORTED -> "not converted: ";
                case WARNING -> "warning: ";
                case NOTE -> "note: ";
            } + f);
        }
        if (converted.hasUnsupported() && !allowUnsupported) {
            err.println("import-metallb: some of the input has no Ferrite equivalent and was left out (listed above "
                    + "and at the top of the output); re-run with --allow-unsupported to accept that");
            return EXIT_UNSUPPORTED;
        }
        return EXIT_CONVERTED;
    }

    private static String source(String input) {
        return input.equals("-") ? "standard input" : input;
    }

    private void write(String text) throws IOException {
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        } else {
            Files.writeString(output, text, StandardCharsets.UTF_8);
        }
    }
}
