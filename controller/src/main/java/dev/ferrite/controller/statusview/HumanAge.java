package dev.ferrite.controller.statusview;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Ages the way kubectl prints them: {@code 45s}, {@code 5m}, {@code 3h}, {@code 2d}, {@code 4y}. */
public final class HumanAge {

    public static final String UNKNOWN = "<unknown>";

    private HumanAge() {
    }

    public static String of(Optional<Instant> since, Instant now) {
        return since.map(s -> of(Duration.between(s, now))).orElse(UNKNOWN);
    }

    public static String of(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            // a clock ahead of ours: kubectl says <invalid>; an operator reads that as "just now"
            return "0s";
        }
        if (seconds < 60) {
            return Math.max(0, seconds) + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return hours + "h";
        }
        long days = hours / 24;
        if (days < 365) {
            return days + "d";
        }
        return days / 365 + "y";
    }
}
