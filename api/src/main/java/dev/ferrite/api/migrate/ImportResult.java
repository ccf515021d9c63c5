package dev.ferrite.api.migrate;

import dev.ferrite.api.config.ConfigError;
import java.util.List;

/** Outcome of importing a MetalLB configuration. */
public sealed interface ImportResult {

    List<Finding> findings();

    /** The Ferrite objects and passed-through documents, in input order. */
    record Converted(List<ImportedDocument> documents, List<Finding> findings) implements ImportResult {
        public Converted {
            documents = List.copyOf(documents);
            findings = List.copyOf(findings);
        }

        public boolean hasUnsupported() {
            return findings.stream().anyMatch(f -> f.kind() == Finding.Kind.UNSUPPORTED);
        }

        /** The output file: a comment header listing the findings, then one YAML document per object. */
        public String render() {
            return ImportYaml.render(this);
        }
    }

    /** The converted objects do not form a valid Ferrite configuration, or could not be read. */
    record Invalid(List<ConfigError> errors, List<Finding> findings) implements ImportResult {
        public Invalid {
            errors = List.copyOf(errors);
            findings = List.copyOf(findings);
        }
    }

    /** The input is not a YAML stream at all. */
    record Unreadable(String problem) implements ImportResult {
        @Override
        public List<Finding> findings() {
            return List.of();
        }
    }
}
