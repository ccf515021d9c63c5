package dev.ferrite.api.config;

/**
 * A problem with one field of an object whose kind and name the caller knows: the parts of
 * the configuration that are parsed on their own (a label selector, an address) report
 * these, and {@link #in} turns them into a {@link ConfigError} for a named object.
 */
public record FieldProblem(String field, String value, String problem) {

    public ConfigError in(String kind, String name) {
        return new ConfigError(kind, name, field, value, problem);
    }

    @Override
    public String toString() {
        return field + " \"" + value + "\": " + problem;
    }
}
