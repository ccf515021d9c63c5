package dev.ferrite.api.config;

import java.util.List;

/** Outcome of converting one part of the configuration: the value, or every problem found. */
public sealed interface Parsed<T> {

    record Ok<T>(T value) implements Parsed<T> {
    }

    record Rejected<T>(List<FieldProblem> problems) implements Parsed<T> {
        public Rejected {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs at least one problem");
            }
        }
    }
}
