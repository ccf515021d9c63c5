package dev.ferrite.speaker.membership;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the membership secret from a file (a Kubernetes Secret key mounted into the pod).
 * Trailing whitespace is stripped because secrets are often created with {@code echo},
 * which adds a newline on some nodes and not others, and the bytes must match everywhere.
 */
public final class SecretFile {

    /** Outcome of loading the secret file. */
    public sealed interface Result {
        record Loaded(MembershipSecret secret) implements Result {
        }

        record Failed(String message) implements Result {
        }
    }

    private SecretFile() {
    }

    /**
     * The speaker's rule: a secret file if one is configured; otherwise insecure mode only when
     * the operator asked for it explicitly; otherwise refuse to start.
     *
     * @param file the configured secret file, or null when none is configured
     */
    public static Result forSpeaker(Path file, boolean insecureRequested) {
        if (file != null) {
            return load(file);
        }
        if (insecureRequested) {
            return new Result.Loaded(new MembershipSecret.Insecure());
        }
        return new Result.Failed("no membership secret configured: mount the memberlist Secret and pass its file,"
                + " or start with --insecure-membership to run unauthenticated");
    }

    public static Result load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Result.Failed("membership secret file " + file + " does not exist; mount the memberlist Secret"
                    + " there or start with --insecure-membership");
        } catch (IOException e) {
            return new Result.Failed("membership secret file " + file + " cannot be read: " + e.getMessage());
        }
        int end = bytes.length;
        while (end > 0 && Character.isWhitespace(bytes[end - 1])) {
            end--;
        }
        if (end == 0) {
            return new Result.Failed("membership secret file " + file + " is empty; put a random secret of at least"
                    + " 16 bytes in it");
        }
        byte[] key = new byte[end];
        System.arraycopy(bytes, 0, key, 0, end);
        return new Result.Loaded(new MembershipSecret.Shared(key));
    }
}
