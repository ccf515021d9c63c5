package dev.ferrite.api.config;

import java.util.List;

/** Outcome of validating the whole configuration. */
public sealed interface ConfigResult {

    record Valid(Config config) implements ConfigResult {
    }

    record Invalid(List<ConfigError> errors) implements ConfigResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid configuration needs at least one error");
            }
        }

        /** The errors about one object, e.g. to set its Valid condition and Event. */
        public List<ConfigError> errorsFor(String kind, String name) {
            return errors.stream().filter(e -> e.kind().equals(kind) && e.name().equals(name)).toList();
        }
    }
}
