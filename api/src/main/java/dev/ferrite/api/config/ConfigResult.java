package dev.ferrite.api.config;

import java.util.List;

/** Outcome of validating the whole configuration. */
public sealed interface ConfigResult {

    record Valid(Config config) implements ConfigResult {
    }

    record Invalid(List<ConfigError> errors) implements ConfigResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
