package dev.ferrite.api;

/**
 * A Java string as a JSON string, for the few places that write JSON by hand (a merge patch,
 * a probe log line) where a mapper would cost more than the text it writes.
 */
public final class JsonString {

    private JsonString() {
    }

    /** {@code s} with quotes and backslashes escaped and control characters as {@code \}{@code uXXXX}. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code s} escaped and in double quotes: a JSON string literal. */
    public static String quote(String s) {
        return '"' + escape(s) + '"';
    }
}
