package dev.ferrite.api.migrate;

/**
 * Something the import did not carry over as it was: {@link Kind#UNSUPPORTED} content has no
 * Ferrite equivalent and is left out (the command fails unless told to accept that);
 * {@link Kind#NOTE}s describe what was passed through or changed.
 *
 * @param origin where in the input, e.g. {@code document 4 (metallb.io/v1beta2 BGPPeer metallb-system/router)}
 */
public record Finding(Kind kind, String origin, String message) {

    public enum Kind { UNSUPPORTED, NOTE }

    public Finding {
        // One line each: findings become comment lines at the top of the output.
        message = message.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public String toString() {
        return origin + ": " + message;
    }
}
