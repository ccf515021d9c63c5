package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void commasGoBetweenMembersAndElementsAndStringsAreEscaped() {
        String json = new JsonWriter().beginObject()
                .member("a", "x\"y\\z\n")
                .name("list").beginArray().value("1").beginObject().member("k", null).endObject().beginArray().endArray().endArray()
                .name("raw").json("{\"n\":1}")
                .name("empty").beginObject().endObject()
                .endObject().toString();
        assertEquals("{\"a\":\"x\\\"y\\\\z\\u000a\",\"list\":[\"1\",{\"k\":null},[]],\"raw\":{\"n\":1},\"empty\":{}}", json);
        JsonReader back = new JsonReader(json);
        back.skipValue();
        back.end();
    }
}
