package dev.ferrite.controller.statusview;

/** The {@code -o} values of {@code ferrite status}. */
public enum OutputFormat {
    table, json, yaml;

    public String render(StatusReport report) {
        return switch (this) {
            case table -> TableRenderer.render(report);
            case json -> StructuredRenderer.json(report);
            case yaml -> StructuredRenderer.yaml(report);
        };
    }
}
