package dev.ferrite.api.migrate;

import tools.jackson.databind.JsonNode;

/** One object of the import's output and the input document it came from. */
public record ImportedDocument(String origin, JsonNode body) {
}
