package dev.ferrite.api.migrate;

/**
 * Something the import did not carry over as it was: {@link Kind#UNSUPPORTED} content has no
 * Ferrite equivalent and is left out (the command fails unless told to accept that);
 * {@link Kind#WARNING}s need the operator's attention but change nothing in the output;
 * {@link Kind#NOTE}s describe what was changed on the way.
 *
 * @param origin where in the input, e.g. {@code document 4 (BGPPeer metallb-system/router)}
 */
public record Finding(Kind kind, Source origin, String message) {

    public enum Kind { UNSUPPORTED, WARNING, NOTE }

    public Finding {
        // One line each: findings become comment lines at the top of the output.
        message = message.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public String toString() {
        return origin + ": " + message;
    }
}
