package dev.ferrite.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.controller.metrics.ControllerMetrics;
import dev.ferrite.speaker.metrics.SpeakerMetrics;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.model.MemberCounts;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every metric a rule in deploy/monitoring/prometheusrule.yaml or a panel of the Grafana
 * dashboard uses is one the controller or the speaker exports, and every label it groups,
 * selects or prints by is one those metrics carry (or one the PodMonitor's scrape adds).
 * A renamed metric or label fails here, not silently on an operator's dashboard.
 */
class MonitoringTest {
    /** Labels every scraped series gets from Prometheus and the PodMonitor's relabelings. */
    static final Set<String> SCRAPE_LABELS = Set.of("node", "component", "namespace", "pod", "container", "endpoint", "instance", "job");
    /**
     * Metrics the monitoring uses before the code exports them, with their labels: named on
     * the project board for the one-announcer work. Remove an entry when the metric lands;
     * the test fails while an entry names a metric that is exported.
     */
    static final Map<String, Set<String>> PLANNED = Map.of("ferrite_announcement_conflicts_total", Set.of("ip"));

    static Map<String, Set<String>> exported() throws Exception {
        ControllerMetrics controller = new ControllerMetrics();
        controller.pools(Map.of("lab", new ControllerMetrics.PoolFigures(51, 1)));
        controller.servicesPending(0);
        controller.config(true, false);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        controller.writeTo(text);
        SpeakerMetrics speaker = new SpeakerMetrics(() -> 1, () -> AnnouncerCounts.ZERO,
                () -> new MemberCounts(3, 0, 0), () -> true, () -> "full_view");
        PrometheusTextFormatWriter.create().write(text, speaker.registry().scrape());
        Map<String, Set<String>> out = new HashMap<>();
        Pattern series = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");
        for (String line : text.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher m = series.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Set<String> labels = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (m.group(3) != null) {
                for (String kv : m.group(3).split(",")) {
                    if (kv.contains("=")) {
                        labels.add(kv.substring(0, kv.indexOf('=')).trim());
                    }
                }
            }
        }
        return out;
    }

    record Use(String where, String expr, List<String> printed) {
    }

    static List<Use> uses() throws Exception {
        Path monitoring = DeployTree.deploy().resolve("monitoring");
        List<Use> uses = new ArrayList<>();
        for (JsonNode group : DeployTree.document(monitoring.resolve("prometheusrule.yaml")).path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                List<String> printed = new ArrayList<>();
                rule.path("annotations").forEach(a -> printed.add(a.asString()));
                uses.add(new Use("rule " + rule.path("alert").asString(), rule.path("expr").asString(), printed));
            }
        }
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(monitoring.resolve("ferrite-dashboard.json")));
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                uses.add(new Use("panel " + panel.path("title").asString(), target.path("expr").asString(),
                        List.of(target.path("legendFormat").asString(""))));
            }
        }
        return uses;
    }

    static Set<String> labelsIn(Use use) {
        Set<String> labels = new TreeSet<>();
        Matcher by = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)").matcher(use.expr());
        while (by.find()) {
            for (String l : by.group(1).split(",")) {
                if (!l.isBlank()) {
                    labels.add(l.trim());
                }
            }
        }
        Matcher selector = Pattern.compile("\\{([^}]*)}").matcher(use.expr());
        while (selector.find()) {
            Matcher kv = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)").matcher(selector.group(1));
            while (kv.find()) {
                labels.add(kv.group(1));
            }
        }
        for (String text : use.printed()) {
            Matcher printed = Pattern.compile("\\{\\{\\s*(?:\\$labels\\.)?([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}").matcher(text);
            while (printed.find()) {
                labels.add(printed.group(1));
            }
        }
        return labels;
    }

    @Test
    void everyMetricAndLabelTheMonitoringUsesIsExported() throws Exception {
        Map<String, Set<String>> exported = exported();
        for (String planned : PLANNED.keySet()) {
            assertFalse(exported.containsKey(planned), planned + " is exported now: drop it from MonitoringTest.PLANNED");
        }
        Map<String, Set<String>> known = new HashMap<>(exported);
        known.putAll(PLANNED);
        List<String> problems = new ArrayList<>();
        int metricsUsed = 0;
        for (Use use : uses()) {
            Matcher m = Pattern.compile("\\bferrite_[a-z0-9_]+").matcher(use.expr());
            List<String> metrics = new ArrayList<>();
            while (m.find()) {
                metrics.add(m.group());
            }
            if (metrics.isEmpty()) {
                problems.add(use.where() + ": uses no Ferrite metric: " + use.expr());
            }
            metricsUsed += metrics.size();
            for (String metric : metrics) {
                if (!known.containsKey(metric)) {
                    problems.add(use.where() + ": " + metric + " is not exported (exported: " + new TreeSet<>(known.keySet()) + ")");
                    continue;
                }
                for (String label : labelsIn(use)) {
                    if (!SCRAPE_LABELS.contains(label) && !known.get(metric).contains(label)
                            && metrics.stream().noneMatch(other -> known.getOrDefault(other, Set.of()).contains(label))) {
                        problems.add(use.where() + ": label " + label + " is on none of " + metrics);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(metricsUsed > 10, "the test read too few expressions: " + metricsUsed);
    }

    @Test
    void labelCheckCatchesALabelNoMetricHas() {
        Use use = new Use("panel x", "sum by (pools) (ferrite_allocator_addresses_total)", List.of("{{pools}}"));
        assertEquals(Set.of("pools"), labelsIn(use));
    }
}
