package dev.ferrite.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonStringTest {

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("a\\\"b\\\\c\\u000a", JsonString.escape("a\"b\\c\n"));
        assertEquals("\"ferrite.dev/ip-allocated-from-pool\"", JsonString.quote("ferrite.dev/ip-allocated-from-pool"));
    }
}
