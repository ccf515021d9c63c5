package dev.ferrite.deploy;

import java.util.List;
import java.util.Optional;

/** Reading {@code --flag=value} / {@code --flag value} out of a container's args. */
final class ContainerArgs {

    private ContainerArgs() {
    }

    static Optional<String> flag(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith(name + "=")) {
                return Optional.of(a.substring(name.length() + 1));
            }
            if (a.equals(name) && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /** {@code 250ms}, {@code 3s}, {@code 1m}: the forms the speaker's flags take. */
    static long durationMs(String text) {
        if (text.endsWith("ms")) {
            return Long.parseLong(text.substring(0, text.length() - 2));
        }
        if (text.endsWith("s")) {
            return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000);
        }
        if (text.endsWith("m")) {
            return Long.parseLong(text.substring(0, text.length() - 1)) * 60_000;
        }
        throw new IllegalArgumentException("not a duration: " + text);
    }
}
