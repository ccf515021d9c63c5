package dev.ferrite.api.config;

/**
 * One problem in the configuration, naming the object ({@code kind} and {@code name}), the
 * field (a JSON path such as {@code spec.addresses[1]}) and the offending value.
 */
public record ConfigError(String kind, String name, String field, String value, String problem) {

    /** e.g. {@code IPAddressPool lab: spec.addresses[1] "198.18.0.9-198.18.0.1": range is reversed}. */
    public String message() {
        return kind + " " + name + ": " + field + " \"" + value + "\": " + problem;
    }

    @Override
    public String toString() {
        return message();
    }
}
