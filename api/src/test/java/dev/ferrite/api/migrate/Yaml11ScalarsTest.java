package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unquoted scalars read as kubectl reads them (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1),
 * each row the JSON the API server would be sent.
 */
class Yaml11ScalarsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // null: the empty value, ~ and three spellings of null
        "``     | null", "~      | null", "null   | null", "Null   | null", "NULL   | null",
        // YAML 1.1 booleans, every spelling go-yaml v2 knows
        "yes    | true", "Yes    | true", "YES    | true", "y      | true", "Y      | true", "on     | true",
        "On     | true", "ON     | true", "true   | true", "True   | true", "TRUE   | true",
        "no     | false", "No     | false", "NO     | false", "n      | false", "N      | false", "off    | false",
        "Off    | false", "OFF    | false", "false  | false", "False  | false", "FALSE  | false",
        // not booleans: other spellings stay strings
        "yEs    | \"yEs\"", "oN     | \"oN\"", "nope   | \"nope\"",
        // integers: Go's ParseInt with base 0 after dropping underscores
        "42     | 42", "-7     | -7", "+1     | 1", "0x1F   | 31", "0o17   | 15", "017    | 15", "0b101  | 5",
        "-0b101 | -5", "1_000  | 1000", "9223372036854775807 | 9223372036854775807",
        // floats: go-yaml v2's pattern needs the exponent's sign; a whole float is a JSON integer
        "1.5    | 1.5", ".5     | 0.5", "1e+3   | 1000", "08     | 8", "1e3    | \"1e3\"", "1.     | \"1.\"",
        // strings that only look like something else
        "12:30  | \"12:30\"", "2026-01-01 | \"2026-01-01\"", "2026-01-01T10:00:00Z | \"2026-01-01T10:00:00Z\"",
        "10.0.0.0/24 | \"10.0.0.0/24\"", "198.18.0.1-198.18.0.9 | \"198.18.0.1-198.18.0.9\"",
        "2001:db8::/32 | \"2001:db8::/32\"", "0x     | \"0x\"", "- | \"-\"", "+ | \"+\""})
    void aPlainScalarReadsAsKubectlReadsIt(String plain, String json) {
        Yaml11Scalars.Resolved r = Yaml11Scalars.plain(plain);
        assertEquals(json, assertInstanceOf(Yaml11Scalars.Resolved.Value.class, r).node().toString());
    }

    @ParameterizedTest
    @CsvSource({".inf", ".Inf", "-.INF", "+.inf", ".nan", ".NaN"})
    void infinityAndNanAreRefusedBecauseJsonCannotHoldThem(String plain) {
        Yaml11Scalars.Resolved r = Yaml11Scalars.plain(plain);
        assertTrue(assertInstanceOf(Yaml11Scalars.Resolved.NotJson.class, r).problem().contains("JSON"), r::toString);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"on | true", "yes | true", "n | false", "017 | 15", "name | name",
        "1.5 | 1.5", "kubernetes.io/hostname | kubernetes.io/hostname"})
    void aPlainKeyIsWrittenAsSigsK8sYamlWritesIt(String plain, String key) {
        assertEquals(Optional.of(key), Yaml11Scalars.key(plain));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"``", "~", "null"})
    void aNullKeyIsRefused(String plain) {
        assertEquals(Optional.empty(), Yaml11Scalars.key(plain));
    }
}
