package dev.ferrite.api.migrate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What an unquoted YAML scalar means to kubectl. {@code kubectl apply} turns a manifest into
 * JSON with sigs.k8s.io/yaml, which reads YAML with go-yaml v2, a YAML 1.1 parser: to it
 * {@code yes}/{@code no}/{@code on}/{@code off}/{@code y}/{@code n} are booleans, {@code ~}
 * and the empty value are null, {@code 0x1F}, {@code 017} and {@code 1_000} are numbers. So
 * a MetalLB manifest with {@code autoAssign: no} is applied as {@code false}, and the import
 * must read it the same way, not as the string "no" that a YAML 1.2 reader sees.
 *
 * <p>The rules are go-yaml v2's {@code resolve} as it is, quirks included ({@code 1e5} is a
 * string, {@code 1e+5} a number; {@code 08} is the number 8). A quoted or block scalar is
 * always a string; the caller decides that. Timestamps stay strings, as kubectl keeps them.
 * Pure.
 */
final class Yaml11Scalars {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** go-yaml v2's table of words, every spelling it knows. */
    private static final Map<String, Boolean> BOOLEANS = Map.ofEntries(
            Map.entry("y", true), Map.entry("Y", true), Map.entry("yes", true), Map.entry("Yes", true),
            Map.entry("YES", true), Map.entry("true", true), Map.entry("True", true), Map.entry("TRUE", true),
            Map.entry("on", true), Map.entry("On", true), Map.entry("ON", true),
            Map.entry("n", false), Map.entry("N", false), Map.entry("no", false), Map.entry("No", false),
            Map.entry("NO", false), Map.entry("false", false), Map.entry("False", false), Map.entry("FALSE", false),
            Map.entry("off", false), Map.entry("Off", false), Map.entry("OFF", false));
    private static final java.util.Set<String> NULLS = java.util.Set.of("", "~", "null", "Null", "NULL");
    private static final java.util.Set<String> NOT_JSON_NUMBERS = java.util.Set.of(".nan", ".NaN", ".NAN",
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF");

    /** go-yaml v2's {@code yamlStyleFloat}: note the exponent needs its sign. */
    private static final Pattern YAML_STYLE_FLOAT = Pattern.compile("[-+]?[0-9]*\\.?[0-9]+([eE][-+][0-9]+)?");
    /** What Go's {@code strconv.ParseFloat} takes after a leading '.': digits, an optional exponent. */
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");

    private Yaml11Scalars() {
    }

    /** An unquoted value as kubectl reads it, or why JSON cannot hold it. */
    sealed interface Resolved {
        record Value(JsonNode node) implements Resolved {
        }

        record NotJson(String problem) implements Resolved {
        }
    }

    static Resolved plain(String text) {
        if (NULLS.contains(text)) {
            return new Resolved.Value(NODES.nullNode());
        }
        Boolean b = BOOLEANS.get(text);
        if (b != null) {
            return new Resolved.Value(NODES.booleanNode(b));
        }
        if (NOT_JSON_NUMBERS.contains(text)) {
            return new Resolved.NotJson("\"" + text + "\" is a YAML 1.1 infinity or NaN, which JSON (and so the API "
                    + "server) cannot hold; quote it if a string is meant");
        }
        return new Resolved.Value(number(text).orElseGet(() -> NODES.stringNode(text)));
    }

    /**
     * A mapping key as kubectl reads it: sigs.k8s.io/yaml writes a boolean key as "true" or
     * "false" and a number as its decimal digits; a null key is refused.
     */
    static Optional<String> key(String text) {
        if (NULLS.contains(text)) {
            return Optional.empty();
        }
        Boolean b = BOOLEANS.get(text);
        if (b != null) {
            return Optional.of(b.toString());
        }
        Optional<JsonNode> n = number(text);
        if (n.isPresent() && n.get().isIntegralNumber()) {
            return Optional.of(n.get().bigIntegerValue().toString());
        }
        return Optional.of(text);
    }

    private static Optional<JsonNode> number(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        char first = text.charAt(0);
        if (first == '.') {
            return DOT_FLOAT.matcher(text).matches() ? decimal("0" + text) : Optional.empty();
        }
        boolean digitOrSign = (first >= '0' && first <= '9') || first == '+' || first == '-';
        if (!digitOrSign || !onlyNumberCharacters(text) || timestampStart(text)) {
            return Optional.empty();
        }
        String plain = text.replace("_", "");
        Optional<BigInteger> integer = goParseInt(plain);
        if (integer.isPresent()) {
            return Optional.of(integer(integer.get()));
        }
        return YAML_STYLE_FLOAT.matcher(plain).matches() ? decimal(plain) : Optional.empty();
    }

    /**
     * Whether every character could be part of a number Go reads (digits of any base, sign,
     * point, exponent, underscore, radix letter): a cheap test before the exact ones, since
     * most scalars starting with a digit are addresses.
     */
    private static boolean onlyNumberCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.'
                    || c == '+' || c == '-' || c == '_' || c == 'x' || c == 'X' || c == 'o' || c == 'O';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** go-yaml v2's quick test for a timestamp: four digits, then '-'. */
    private static boolean timestampStart(String s) {
        if (s.length() < 5 || s.charAt(4) != '-') {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Go's {@code strconv.ParseInt(s, 0, 64)} (or ParseUint for what exceeds int64): an
     * optional sign, then {@code 0x}, {@code 0o}, {@code 0b} or a leading {@code 0} for
     * octal, else decimal.
     */
    static Optional<BigInteger> goParseInt(String s) {
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        String body = s.substring(i);
        int radix = 10;
        if (body.length() > 1 && body.charAt(0) == '0') {
            char p = Character.toLowerCase(body.charAt(1));
            if (p == 'x' || p == 'o' || p == 'b') {
                radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                body = body.substring(2);
            } else {
                radix = 8;
                body = body.substring(1);
            }
        }
        if (body.isEmpty() || body.length() > 70) {
            return Optional.empty();
        }
        for (int k = 0; k < body.length(); k++) {
            if (Character.digit(body.charAt(k), radix) < 0) {
                return Optional.empty();
            }
        }
        BigInteger v = new BigInteger(body, radix);
        if (negative) {
            v = v.negate();
        }
        BigInteger max = negative ? BigInteger.valueOf(Long.MIN_VALUE) : BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
        boolean fits = negative ? v.compareTo(max) >= 0 : v.compareTo(max) <= 0;
        return fits ? Optional.of(v) : Optional.empty();
    }

    private static JsonNode integer(BigInteger v) {
        if (v.bitLength() < 32) {
            return NODES.numberNode(v.intValue());
        }
        if (v.bitLength() < 64) {
            return NODES.numberNode(v.longValue());
        }
        return NODES.numberNode(v);
    }

    /**
     * A float as JSON carries it: a whole value is written as an integer (1e+3 is 1000 to the
     * API server). Out of a double's range it is a string, as Go's ParseFloat fails on it.
     */
    private static Optional<JsonNode> decimal(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
        double value = d.doubleValue();
        if (Double.isInfinite(value)) {
            return Optional.empty();
        }
        BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 20) {
            return Optional.of(integer(stripped.toBigIntegerExact()));
        }
        return Optional.of(NODES.numberNode(value));
    }
}
