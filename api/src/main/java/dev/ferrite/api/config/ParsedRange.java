package dev.ferrite.api.config;

import dev.ferrite.api.net.IpRange;

/** Outcome of reading one entry of a pool's {@code addresses}: the range, or why it is not one. */
public sealed interface ParsedRange {

    record Ok(IpRange range) implements ParsedRange {
    }

    /** {@code problem} is a sentence fragment in the operator's words, e.g. "range is reversed: …". */
    record Rejected(String problem) implements ParsedRange {
    }
}
