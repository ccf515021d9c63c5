package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.speaker.k8s.JsonReader.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsTheMembersAskedForAndSkipsTheRest() {
        JsonReader in = new JsonReader("""
                {"skip": {"a": [1, -2.5e3, true, false, null, {"b": "}]\\"{["}], "c": {}},
                 "name": "caf\\u00e9 \\"quoted\\" \\\\ \\/ \\n",
                 "ready": true, "gone": null, "count": 42, "list": ["x", "y"], "empty": []}
                """);
        List<String> seen = new ArrayList<>();
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            switch (name) {
                case "name" -> assertEquals("café \"quoted\" \\ / \n", in.nextString());
                case "ready" -> assertEquals(Boolean.TRUE, in.nextBoolean());
                case "gone" -> assertTrue(in.nextIsNull());
                case "count" -> {
                    assertFalse(in.nextIsNull());
                    assertEquals(JsonReader.Kind.NUMBER, in.peek());
                    in.skipValue();
                }
                case "list" -> {
                    in.beginArray();
                    while (in.hasNext()) {
                        seen.add(in.nextString());
                    }
                    in.endArray();
                }
                case "empty" -> {
                    in.beginArray();
                    assertFalse(in.hasNext());
                    in.endArray();
                }
                default -> in.skipValue();
            }
            seen.add(name);
        }
        in.endObject();
        in.end();
        assertEquals(List.of("skip", "name", "ready", "gone", "count", "x", "y", "list", "empty"), seen);
    }

    @Test
    void aValueReadCanonicallyHasItsMembersSortedItsNullsLeftOutAndNoWhiteSpace() {
        JsonReader in = new JsonReader("""
                {"b": [3, -0.5e+2, {"z": null, "y": "caf\\u00e9"}], "a": {"q": true, "p": false}, "c": null, "d": "\\u0001"}
                """);
        assertEquals("{\"a\":{\"p\":false,\"q\":true},\"b\":[3,-0.5e+2,{\"y\":\"café\"}],\"d\":\"\\u0001\"}",
                in.nextCanonical());
        in.end();
        assertEquals(new JsonReader("{\"x\": [1, \"2\"], \"w\": {}}").nextCanonical(),
                new JsonReader(" { \"w\" : { } , \"x\" : [ 1 , \"2\" ] } ").nextCanonical());
        assertEquals("null", new JsonReader("null").nextCanonical());
        assertThrows(JsonException.class, () -> new JsonReader("{\"a\": [1,]}").nextCanonical());
    }

    @Test
    void aNumberReadAsItsText() {
        JsonReader in = new JsonReader("[12, -3.25e-7, \"4\"]");
        in.beginArray();
        assertEquals("12", in.nextNumberText());
        assertEquals("-3.25e-7", in.nextNumberText());
        JsonException e = assertThrows(JsonException.class, in::nextNumberText);
        assertTrue(e.getMessage().contains("expected a number"), e.getMessage());
    }

    @Test
    void nullStandsInForAStringOrABoolean() {
        JsonReader in = new JsonReader("[null, null]");
        in.beginArray();
        assertNull(in.nextString());
        assertNull(in.nextBoolean());
        in.endArray();
        in.end();
    }

    @Test
    void anythingThatIsNotJsonIsAnErrorNamingItsOffset() {
        record Case(String json, Consumer<JsonReader> read, String expected) {
        }
        Consumer<JsonReader> skip = JsonReader::skipValue;
        Consumer<JsonReader> skipAll = in -> {
            in.skipValue();
            in.end();
        };
        for (Case c : List.of(
                new Case("", skip, "offset 0: expected more"),
                new Case("{\"a\": 1,}", skip, "offset 8: expected a value after ','"),
                new Case("[1 2]", skip, "offset 3: expected ',' or the end of the open array"),
                new Case("{\"a\" 1}", skip, "offset 5: expected ':'"),
                new Case("{a: 1}", skip, "offset 1: expected a member name"),
                new Case("[\"open", skip, "expected the end of the string"),
                new Case("[\"tab\there\"]", skip, "expected no control character in a string"),
                new Case("[\"\\x\"]", skip, "offset 3: expected an escape"),
                new Case("[\"\\u12g4\"]", skip, "expected four hex digits"),
                new Case("[01]", skip, "offset 1: expected a number"),
                new Case("[1.]", skip, "offset 1: expected a number"),
                new Case("[tru]", skip, "offset 1: expected a value"),
                new Case("{} {}", skipAll, "offset 3: expected the end"),
                new Case("[1]]", skipAll, "offset 3: expected the end"),
                new Case("[}", skip, "offset 1: expected ']'"),
                new Case("[".repeat(JsonReader.MAX_DEPTH + 1), skip, "expected nesting no deeper than 256"),
                new Case("{\"a\": 5}", in -> {
                    in.beginObject();
                    in.nextName();
                    in.nextString();
                }, "offset 6: expected a string, found '5}'"),
                new Case("{\"a\": \"x\"}", in -> {
                    in.beginObject();
                    in.nextName();
                    in.nextBoolean();
                }, "offset 6: expected true or false"),
                new Case("[\"x\"]", in -> {
                    in.beginArray();
                    in.nextName();
                }, "offset 1: expected a value"),
                new Case("{\"a\": 1}", in -> {
                    in.beginObject();
                    in.skipValue();
                }, "offset 1: expected a member name"))) {
            JsonException e = assertThrows(JsonException.class, () -> c.read().accept(new JsonReader(c.json())), c.json());
            assertTrue(e.getMessage().startsWith("malformed JSON at "), e.getMessage());
            assertTrue(e.getMessage().contains(c.expected()), c.json() + ": " + e.getMessage());
        }
    }
}
