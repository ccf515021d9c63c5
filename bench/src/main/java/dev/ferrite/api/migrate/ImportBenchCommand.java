package dev.ferrite.api.migrate;

import static dev.ferrite.bench.JsonFigures.round;
import static dev.ferrite.bench.JsonFigures.toJson;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import} benchmark: {@code ferrite import-metallb} on a large MetalLB configuration
 * ({@link LargeMetallbList}), each run the real command in a JVM of its own with the heap
 * capped as docs/migration.md recommends, so the figures are what an operator sees: wall time
 * including the JVM's start, the peak heap inside the cap, the peak resident memory.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Benchmark import-metallb on a kubectl List of N pools, each run in its own JVM; prints JSON.",
            "The heap is capped; reports input size, wall time (median of the runs), peak heap and peak RSS,",
            "and the JVM options."})
public final class ImportBenchCommand implements Callable<Integer> {

    @Option(names = "--pools", paramLabel = "N", defaultValue = "20000", description = "IPAddressPools in the input (default: ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs; the figures are their median (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m", description = "-Xmx of the child JVM (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--jvm-option", paramLabel = "OPTION", description = "Another option for the child JVM (repeatable).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "600", description = "Give up on a run after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print only the JSON result.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (pools < 0 || runs < 1) {
            throw new IllegalArgumentException("--pools must be at least 0 and --runs at least 1");
        }
        Path dir = Files.createTempDirectory("ferrite-bench-import");
        try {
            Path input = dir.resolve("metallb.yaml");
            try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
                LargeMetallbList.write(pools, w);
            }
            List<String> options = new ArrayList<>();
            options.add("-Xmx" + heap);
            options.addAll(jvmOptions);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("pools", pools);
            result.put("input_bytes", Files.size(input));
            result.put("input_mib", round(Files.size(input) / 1048576.0, 2));
            result.put("jvm_options", quote(String.join(" ", options)));
            result.put("java", quote(System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
            result.put("cpus", Runtime.getRuntime().availableProcessors());
            result.put("load_average_before", quote(loadAverage()));
            List<Map<String, Long>> reports = new ArrayList<>();
            double[] walls = new double[runs];
            for (int r = 0; r < runs; r++) {
                progress("run %d of %d: import-metallb on %d pools (%.1f MiB), %s", r + 1, runs, pools,
                        Files.size(input) / 1048576.0, String.join(" ", options));
                Path output = dir.resolve("ferrite-" + r + ".yaml");
                Path report = dir.resolve("report-" + r + ".txt");
                long start = System.nanoTime();
                int exit = runChild(options, report, input, output);
                walls[r] = (System.nanoTime() - start) / 1e9;
                Map<String, Long> child = parse(Files.exists(report) ? Files.readString(report) : "");
                if (exit != 0 || child.getOrDefault("exit", -1L) != 0) {
                    throw new IllegalStateException("import-metallb exited " + exit + " on run " + (r + 1)
                            + "; see " + dir.resolve("stderr-" + r + ".txt"));
                }
                long written = count(output, "kind: IPAddressPool");
                if (written != pools || count(output, "kind: L2Advertisement") != 1) {
                    throw new IllegalStateException("run " + (r + 1) + " wrote " + written + " of " + pools + " pools");
                }
                result.put("pools_written", written);
                result.put("output_bytes", Files.size(output));
                reports.add(child);
                progress("run %d: %.2f s wall, %.2f s in the command, peak RSS %.0f MiB", r + 1, walls[r],
                        child.get("command_ms") / 1000.0, child.get("vm_hwm_kb") / 1024.0);
            }
            result.put("wall_seconds_runs", Arrays.toString(Arrays.stream(walls).map(w -> round(w, 2)).toArray()));
            result.put("wall_seconds", round(median(walls), 2));
            result.put("command_seconds", round(median(reports, "command_ms") / 1000.0, 2));
            result.put("gc_seconds", round(median(reports, "gc_ms") / 1000.0, 2));
            result.put("gc_count", (long) median(reports, "gc_count"));
            result.put("heap_max_mib", round(max(reports, "heap_max_bytes") / 1048576.0, 1));
            result.put("heap_peak_mib", round(max(reports, "heap_peak_bytes") / 1048576.0, 1));
            result.put("peak_rss_mib", round(max(reports, "vm_hwm_kb") / 1024.0, 1));
            result.put("load_average_after", quote(loadAverage()));
            if (json) {
                System.out.println(toJson(result));
            } else {
                result.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-22s %s%n", k, v));
            }
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private int runChild(List<String> options, Path report, Path input, Path output) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(options);
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), ImportRun.class.getName(), report.toString(),
                input.toString(), "-o", output.toString()));
        Path stderr = report.resolveSibling(report.getFileName().toString().replace("report-", "stderr-"));
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("import-metallb did not finish in " + timeoutSeconds + " s");
        }
        return p.exitValue();
    }

    private static long count(Path file, String line) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line::equals).count();
        }
    }

    static Map<String, Long> parse(String report) {
        Map<String, Long> out = new HashMap<>();
        for (String pair : report.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double median(List<Map<String, Long>> reports, String key) {
        return median(reports.stream().mapToDouble(r -> r.getOrDefault(key, 0L)).toArray());
    }

    private static double max(List<Map<String, Long>> reports, String key) {
        return reports.stream().mapToDouble(r -> r.getOrDefault(key, 0L)).max().orElse(0);
    }

    /** Progress goes to stderr, so stdout stays pure JSON with --json. */
    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }

    private static String quote(String s) {
        return dev.ferrite.api.JsonString.quote(s);
    }
}
