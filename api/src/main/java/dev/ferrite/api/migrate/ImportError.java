package dev.ferrite.api.migrate;

/**
 * A problem that stops the import: the input cannot be converted, or the converted
 * configuration would be refused. Printed as
 * {@code error: document N (kind namespace/name): field: message}, the field a path inside
 * the source object ({@code spec.addresses[1]}) and the message naming the value and what was
 * expected.
 */
public record ImportError(Source where, String field, String message) {

    public ImportError {
        message = message.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public String toString() {
        return where + ": " + field + ": " + message;
    }
}
