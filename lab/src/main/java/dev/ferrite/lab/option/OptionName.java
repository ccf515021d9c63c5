package dev.ferrite.lab.option;

import java.util.Locale;
import java.util.Optional;

/**
 * The spelling of an enum constant on a lab command line: its name in lower case
 * ({@code --proxy-mode ipvs}, {@code --etp mix}). One rule, so that what the lab passes to
 * the processes it starts reads back as the same constant.
 */
public final class OptionName {

    private OptionName() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} spelled {@code text} (surrounding blanks ignored), or empty. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(text.trim())) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
