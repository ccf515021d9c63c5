package dev.ferrite.bench;

import java.util.Map;

/** A benchmark's figures as one line of JSON, numbers rounded to what the measurement can tell. */
public final class JsonFigures {

    private JsonFigures() {
    }

    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** {@code {"key": value, ...}}: values are written as they print, so strings must come quoted. */
    public static String toJson(Map<String, Object> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append('"').append(k).append("\": ").append(v);
        });
        return b.append('}').toString();
    }
}
