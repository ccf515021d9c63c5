package dev.ferrite.speaker.k8s;

import dev.ferrite.api.JsonString;

/**
 * Writes one JSON value by hand: objects and arrays opened and closed by the caller, commas
 * placed here. For the few objects the speaker writes (its ServiceL2Status objects), where a
 * mapper and the model classes behind it would cost more than the text.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** A value was written in the open container: the next one needs a comma. */
    private boolean afterValue;

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        afterValue = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        afterValue = true;
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        afterValue = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        afterValue = true;
        return this;
    }

    /** The next member's name in the open object; its value follows. */
    public JsonWriter name(String name) {
        separate();
        out.append(JsonString.quote(name)).append(':');
        afterValue = false;
        return this;
    }

    /** A string value, or null. */
    public JsonWriter value(String value) {
        separate();
        out.append(value == null ? "null" : JsonString.quote(value));
        afterValue = true;
        return this;
    }

    /** A member with a string value. */
    public JsonWriter member(String name, String value) {
        return name(name).value(value);
    }

    /** A value that is JSON already, written as it is. */
    public JsonWriter json(String json) {
        separate();
        out.append(json);
        afterValue = true;
        return this;
    }

    /** An object of these members, each value JSON already. */
    public JsonWriter object(java.util.Map<String, String> members) {
        beginObject();
        members.forEach((name, value) -> name(name).json(value));
        return endObject();
    }

    private void separate() {
        if (afterValue) {
            out.append(',');
            afterValue = false;
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
