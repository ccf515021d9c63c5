package dev.ferrite.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Draws probe timelines as one self-contained SVG an operator can paste into a postmortem:
 * one panel per fault, one lane per Service, answered probes coloured by the node that
 * answered, failed probes red, a dashed marker at the fault and an axis in milliseconds.
 * Consecutive probes with the same result are merged into one bar, so a 10 s window of
 * 5 ms probes stays a few kilobytes.
 */
public final class TimelineSvg {
    static final String FAILED = "#d62728";
    /** Marks of long-lived connections that broke. */
    static final String BROKEN = "#ff7f0e";
    /** Node colours: green first (the usual owner), never red. */
    static final List<String> NODE_COLOURS = List.of(
            "#2ca02c", "#1f77b4", "#9467bd", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f");

    private static final int WIDTH = 960;
    private static final int LABEL = 170;
    private static final int RIGHT = 20;
    private static final int LANE = 14;
    private static final int LANE_GAP = 4;
    private static final int PANEL_HEAD = 34;
    private static final int AXIS = 30;
    private static final int PANEL_GAP = 16;

    private TimelineSvg() {
    }

    public static String render(String title, List<Timeline> timelines) {
        Map<String, String> colours = nodeColours(timelines);
        StringBuilder body = new StringBuilder();
        int y = 40;
        for (Timeline t : timelines) {
            y = panel(body, t, colours, y) + PANEL_GAP;
        }
        y = legend(body, colours, y);
        int height = y + 10;
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.append("<title>").append(escape(title)).append("</title>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        sb.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">").append(escape(title)).append("</text>\n");
        sb.append(body);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static Map<String, String> nodeColours(List<Timeline> timelines) {
        List<String> nodes = new ArrayList<>();
        for (Timeline t : timelines) {
            for (Timeline.Lane lane : t.lanes()) {
                for (Timeline.Sample s : lane.samples()) {
                    s.node().filter(n -> !nodes.contains(n)).ifPresent(nodes::add);
                }
            }
        }
        nodes.sort(String::compareTo);
        Map<String, String> colours = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            colours.put(nodes.get(i), NODE_COLOURS.get(i % NODE_COLOURS.size()));
        }
        return colours;
    }

    private static int panel(StringBuilder sb, Timeline t, Map<String, String> colours, int top) {
        double from = 0;
        double to = 0;
        for (Timeline.Lane lane : t.lanes()) {
            for (Timeline.Sample s : lane.samples()) {
                from = Math.min(from, s.offsetMillis());
                to = Math.max(to, s.offsetMillis());
            }
        }
        if (to - from < 1) {
            to = from + 1;
        }
        double plot = WIDTH - LABEL - RIGHT;
        double scale = plot / (to - from);
        sb.append("<g class=\"panel\">\n");
        sb.append("<text x=\"10\" y=\"").append(top + 14).append("\" font-size=\"13\" font-weight=\"bold\">")
                .append(escape(t.title())).append("</text>\n");
        int laneTop = top + PANEL_HEAD;
        for (Timeline.Lane lane : t.lanes()) {
            sb.append("<text x=\"10\" y=\"").append(laneTop + LANE - 3).append("\">")
                    .append(escape(lane.service() + " " + lane.ip())).append("</text>\n");
            bars(sb, lane.samples(), colours, from, scale, laneTop);
            laneTop += LANE + LANE_GAP;
        }
        int axisY = laneTop + 2;
        double zeroX = LABEL + (0 - from) * scale;
        sb.append("<line class=\"fault\" x1=\"").append(fmt(zeroX)).append("\" y1=\"").append(top + PANEL_HEAD - 6)
                .append("\" x2=\"").append(fmt(zeroX)).append("\" y2=\"").append(axisY)
                .append("\" stroke=\"#000000\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n");
        sb.append("<text x=\"").append(fmt(zeroX + 3)).append("\" y=\"").append(top + PANEL_HEAD - 8)
                .append("\" font-size=\"10\">fault</text>\n");
        for (double at : t.brokenConnectionsMillis()) {
            if (at < from || at > to) {
                continue;
            }
            double x = LABEL + (at - from) * scale;
            // a downward triangle above the lanes: a long-lived connection ended here
            int y0 = top + PANEL_HEAD - 10;
            sb.append("<path class=\"broken\" d=\"M").append(fmt(x - 4)).append(' ').append(y0).append(" L").append(fmt(x + 4))
                    .append(' ').append(y0).append(" L").append(fmt(x)).append(' ').append(y0 + 7).append(" Z\" fill=\"")
                    .append(BROKEN).append("\"><title>long-lived connection ended at ").append(fmt(at)).append(" ms</title></path>\n");
        }
        axis(sb, from, to, scale, axisY);
        sb.append("</g>\n");
        return axisY + AXIS;
    }

    private static void bars(StringBuilder sb, List<Timeline.Sample> samples, Map<String, String> colours,
                             double from, double scale, int y) {
        int i = 0;
        while (i < samples.size()) {
            Timeline.Sample first = samples.get(i);
            int j = i + 1;
            while (j < samples.size() && sameBar(first, samples.get(j))) {
                j++;
            }
            // A bar runs until the next different probe, so gaps between probes are filled.
            double start = first.offsetMillis();
            double end = j < samples.size() ? samples.get(j).offsetMillis() : samples.get(j - 1).offsetMillis() + 5;
            String fill = first.ok() ? colours.getOrDefault(first.node().orElse(""), NODE_COLOURS.get(0)) : FAILED;
            String kind = first.ok() ? "ok" : "failed";
            sb.append("<rect class=\"").append(kind).append("\" x=\"").append(fmt(LABEL + (start - from) * scale))
                    .append("\" y=\"").append(y).append("\" width=\"").append(fmt(Math.max(1, (end - start) * scale)))
                    .append("\" height=\"").append(LANE).append("\" fill=\"").append(fill).append("\">")
                    .append("<title>").append(escape(describe(first, samples.get(j - 1), j - i))).append("</title></rect>\n");
            i = j;
        }
    }

    private static boolean sameBar(Timeline.Sample a, Timeline.Sample b) {
        return a.ok() == b.ok() && (!a.ok() || a.node().equals(b.node()));
    }

    private static String describe(Timeline.Sample first, Timeline.Sample last, int count) {
        String what = first.ok() ? "answered by " + first.node().orElse("?") : "failed";
        return count + " probes " + what + ", " + fmt(first.offsetMillis()) + " to " + fmt(last.offsetMillis()) + " ms";
    }

    private static void axis(StringBuilder sb, double from, double to, double scale, int y) {
        sb.append("<line class=\"axis\" x1=\"").append(LABEL).append("\" y1=\"").append(y).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(y).append("\" stroke=\"#444444\"/>\n");
        double step = tickStep(to - from);
        double first = Math.ceil(from / step) * step;
        for (double v = first; v <= to + 1e-9; v += step) {
            double x = LABEL + (v - from) * scale;
            sb.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(y).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(y + 4).append("\" stroke=\"#444444\"/>\n");
            sb.append("<text class=\"tick\" x=\"").append(fmt(x)).append("\" y=\"").append(y + 15)
                    .append("\" text-anchor=\"middle\" font-size=\"10\">").append(fmt(v)).append("</text>\n");
        }
        sb.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(y + 27)
                .append("\" text-anchor=\"end\" font-size=\"10\">ms from fault</text>\n");
    }

    /** A 1-2-5 step giving about eight ticks over the span. */
    static double tickStep(double span) {
        double raw = span / 8;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static int legend(StringBuilder sb, Map<String, String> colours, int y) {
        sb.append("<g class=\"legend\">\n");
        int x = 10;
        for (Map.Entry<String, String> e : colours.entrySet()) {
            x = legendItem(sb, x, y, e.getValue(), "answered by " + e.getKey());
        }
        x = legendItem(sb, x, y, FAILED, "probe failed");
        legendItem(sb, x, y, BROKEN, "\u25BC long-lived connection broken");
        sb.append("</g>\n");
        return y + 14;
    }

    private static int legendItem(StringBuilder sb, int x, int y, String colour, String text) {
        sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"12\" height=\"12\" fill=\"")
                .append(colour).append("\"/>\n");
        sb.append("<text x=\"").append(x + 16).append("\" y=\"").append(y + 10).append("\">").append(escape(text)).append("</text>\n");
        return x + 30 + (int) Math.ceil(text.length() * 6.5);
    }

    static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Convenience for callers that only have one node name per sample. */
    public static Timeline.Sample sample(double offsetMillis, boolean ok, String node) {
        return new Timeline.Sample(offsetMillis, ok, Optional.ofNullable(node));
    }
}
