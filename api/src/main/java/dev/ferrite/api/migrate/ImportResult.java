package dev.ferrite.api.migrate;

import java.util.List;

/** Outcome of importing a MetalLB configuration. */
public sealed interface ImportResult {

    List<Finding> findings();

    /** The Ferrite objects and Services, in input order. */
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

    /** The input cannot be read or converted, or the converted objects do not form a valid configuration. */
    record Invalid(List<ImportError> errors, List<Finding> findings) implements ImportResult {
        public Invalid {
            errors = List.copyOf(errors);
            findings = List.copyOf(findings);
        }
    }
}
