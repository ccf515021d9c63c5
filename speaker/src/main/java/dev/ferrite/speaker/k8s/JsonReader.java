package dev.ferrite.speaker.k8s;

import dev.ferrite.api.JsonString;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Reads one JSON text value by value, as the caller asks: fields it does not name are skipped
 * without building anything of them. A Kubernetes object carries far more than the election
 * reads (managed fields, annotations, ports), and a speaker reads every Service, EndpointSlice
 * and Node of the cluster at every change.
 *
 * <p>Strict: anything that is not JSON, or not the kind of value asked for, is a
 * {@link JsonException} naming the offset. Objects and arrays: {@link #beginObject()}, then
 * {@link #hasNext()} before each member ({@link #nextName()} and its value), then
 * {@link #endObject()}; likewise for arrays. Not thread-safe.
 */
public final class JsonReader {

    /** Deeper nesting than any Kubernetes object has; bounds the reader's work on hostile input. */
    static final int MAX_DEPTH = 256;

    private final String text;
    private int pos;
    /** The open containers, '{' or '[', innermost last. */
    private final char[] open = new char[MAX_DEPTH];
    private int depth;
    /** A comma was read after the last value: the container may not close here. */
    private boolean commaRead;
    /** In an object, a name was read and its value is next. */
    private boolean nameRead;
    /** The top-level value has begun: nothing may follow it. */
    private boolean started;

    public JsonReader(String text) {
        this.text = text;
    }

    /** Thrown for anything that is not JSON or not the value asked for. */
    public static final class JsonException extends IllegalArgumentException {
        JsonException(String message) {
            super(message);
        }
    }

    public void beginObject() {
        open('{');
    }

    public void beginArray() {
        open('[');
    }

    public void endObject() {
        close('}');
    }

    public void endArray() {
        close(']');
    }

    /** True when the open object or array has another member. */
    public boolean hasNext() {
        char c = peekChar();
        boolean closing = c == '}' || c == ']';
        if (closing && commaRead) {
            throw error("a value after ','");
        }
        return !closing;
    }

    /** The next member's name in the open object. */
    public String nextName() {
        if (depth == 0 || open[depth - 1] != '{' || nameRead) {
            throw error("a value");
        }
        if (peekChar() != '"') {
            throw error("a member name");
        }
        String name = readString();
        if (peekChar() != ':') {
            throw error("':'");
        }
        pos++;
        nameRead = true;
        commaRead = false;
        return name;
    }

    /** The next value as a string; null for JSON's null. */
    public String nextString() {
        char c = valueStart();
        String out;
        if (c == '"') {
            out = readString();
        } else if (c == 'n') {
            literal("null");
            out = null;
        } else {
            throw error("a string");
        }
        valueEnd();
        return out;
    }

    /** The next value as a boolean; null for JSON's null. */
    public Boolean nextBoolean() {
        char c = valueStart();
        Boolean out;
        if (c == 't') {
            literal("true");
            out = Boolean.TRUE;
        } else if (c == 'f') {
            literal("false");
            out = Boolean.FALSE;
        } else if (c == 'n') {
            literal("null");
            out = null;
        } else {
            throw error("true or false");
        }
        valueEnd();
        return out;
    }

    /** The next value, a number, as its text in the document. */
    public String nextNumberText() {
        char c = valueStart();
        if (c != '-' && (c < '0' || c > '9')) {
            throw error("a number");
        }
        int start = pos;
        skipNumber();
        String out = text.substring(start, pos);
        valueEnd();
        return out;
    }

    /**
     * The next value whatever it is, written again in one canonical form: object members sorted
     * by name, members whose value is null left out, no white space. Two values read the same
     * when they mean the same to a Kubernetes API server (which treats a null member as absent).
     */
    public String nextCanonical() {
        return switch (peek()) {
            case OBJECT -> {
                StringJoiner out = new StringJoiner(",", "{", "}");
                nextMembers().forEach((name, value) -> out.add(JsonString.quote(name) + ":" + value));
                yield out.toString();
            }
            case ARRAY -> {
                StringJoiner out = new StringJoiner(",", "[", "]");
                beginArray();
                while (hasNext()) {
                    out.add(nextCanonical());
                }
                endArray();
                yield out.toString();
            }
            case STRING -> JsonString.quote(nextString());
            case NUMBER -> nextNumberText();
            case BOOLEAN -> nextBoolean().toString();
            case NULL -> {
                nextIsNull();
                yield "null";
            }
        };
    }

    /**
     * The members of {@code object}, a JSON object, each value in canonical form
     * ({@link #nextCanonical()}), by name; empty for JSON's null.
     */
    public static TreeMap<String, String> members(String object) {
        JsonReader in = new JsonReader(object);
        TreeMap<String, String> out = in.nextIsNull() ? new TreeMap<>() : in.nextMembers();
        in.end();
        return out;
    }

    /** The next value, an object: its members by name, each canonical, those that are null left out. */
    private TreeMap<String, String> nextMembers() {
        TreeMap<String, String> out = new TreeMap<>();
        beginObject();
        while (hasNext()) {
            String name = nextName();
            if (!nextIsNull()) {
                out.put(name, nextCanonical());
            }
        }
        endObject();
        return out;
    }

    /** The kinds of JSON value. */
    public enum Kind {
        OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL
    }

    /** The kind of the next value, which is not read. */
    public Kind peek() {
        char c = peekValue();
        return switch (c) {
            case '{' -> Kind.OBJECT;
            case '[' -> Kind.ARRAY;
            case '"' -> Kind.STRING;
            case 't', 'f' -> Kind.BOOLEAN;
            case 'n' -> Kind.NULL;
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield Kind.NUMBER;
                }
                throw error("a value");
            }
        };
    }

    /** True when the next value is JSON's null, which is then read. */
    public boolean nextIsNull() {
        if (peekValue() != 'n') {
            return false;
        }
        valueStart();
        literal("null");
        valueEnd();
        return true;
    }

    /** Reads past the next value, whatever it is. */
    public void skipValue() {
        char c = peekValue();
        if (c != '{' && c != '[') {
            valueStart();
            skipScalar(c);
            valueEnd();
            return;
        }
        int base = depth;
        open(c);
        while (depth > base) {
            if (!hasNext()) {
                close(open[depth - 1] == '{' ? '}' : ']');
                continue;
            }
            if (open[depth - 1] == '{') {
                nextName();
            }
            char inner = peekValue();
            if (inner == '{' || inner == '[') {
                open(inner);
            } else {
                valueStart();
                skipScalar(inner);
                valueEnd();
            }
        }
    }

    /** Checks that nothing but white space follows the value read. */
    public void end() {
        skipWhitespace();
        if (depth != 0 || pos != text.length()) {
            throw error(depth != 0 ? "the end of the open " + (open[depth - 1] == '{' ? "object" : "array") : "the end");
        }
    }

    private void open(char c) {
        if (valueStart() != c) {
            throw error(c == '{' ? "an object" : "an array");
        }
        if (depth == MAX_DEPTH) {
            throw error("nesting no deeper than " + MAX_DEPTH);
        }
        pos++;
        open[depth++] = c;
        commaRead = false;
    }

    private void close(char c) {
        char opening = c == '}' ? '{' : '[';
        if (depth == 0 || open[depth - 1] != opening || nameRead) {
            throw error(nameRead ? "a value" : "a value or the end of the open container");
        }
        if (hasNext() || text.charAt(pos) != c) {
            throw error("'" + c + "'");
        }
        pos++;
        depth--;
        valueEnd();
    }

    /** The first character of the next value, not consumed; the value is being read. */
    private char valueStart() {
        char c = peekValue();
        started = true;
        nameRead = false;
        return c;
    }

    /** The first character of the next value, checked to be where a value may be; nothing consumed. */
    private char peekValue() {
        if (depth == 0 && started) {
            throw error("the end");
        }
        if (depth > 0 && open[depth - 1] == '{' && !nameRead) {
            throw error("a member name");
        }
        return peekChar();
    }

    /** After a value: a comma, or the container's end, must follow. */
    private void valueEnd() {
        commaRead = false;
        if (depth == 0) {
            return;
        }
        char c = peekChar();
        if (c == ',') {
            pos++;
            commaRead = true;
        } else if (c != '}' && c != ']') {
            throw error("',' or the end of the open " + (open[depth - 1] == '{' ? "object" : "array"));
        }
    }

    private void skipScalar(char c) {
        switch (c) {
            case '"' -> readString();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    skipNumber();
                } else {
                    throw error("a value");
                }
            }
        }
    }

    private void skipNumber() {
        int start = pos;
        if (pos < text.length() && text.charAt(pos) == '-') {
            pos++;
        }
        int digits = digits();
        if (digits == 0 || (digits > 1 && text.charAt(pos - digits) == '0')) {
            pos = start;
            throw error("a number");
        }
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            if (digits() == 0) {
                pos = start;
                throw error("a number");
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (digits() == 0) {
                pos = start;
                throw error("a number");
            }
        }
    }

    private int digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("a value");
        }
        pos += word.length();
    }

    /** Reads the string starting at {@code pos} (its opening quote). */
    private String readString() {
        int start = ++pos;
        // the common case: no escapes, one substring
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20) {
                throw error("no control character in a string");
            }
            pos++;
        }
        StringBuilder out = new StringBuilder(text.length() - start).append(text, start, pos);
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("no control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    try {
                        out.append((char) Integer.parseInt(text, pos, pos + 4, 16));
                    } catch (NumberFormatException x) {
                        throw error("four hex digits");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("an escape");
                }
            }
        }
        throw error("the end of the string");
    }

    private char peekChar() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("more");
        }
        return text.charAt(pos);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private JsonException error(String expected) {
        String found = pos >= text.length() ? "the end of the text"
                : "'" + text.substring(pos, Math.min(text.length(), pos + 12)) + "'";
        return new JsonException("malformed JSON at offset " + pos + ": expected " + expected + ", found " + found);
    }
}
