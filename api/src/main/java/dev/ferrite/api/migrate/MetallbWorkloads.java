package dev.ferrite.api.migrate;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * MetalLB's own Deployment and DaemonSet (its controller and speaker images). They are left
 * out — Ferrite installs its own from {@code deploy/} — but the speaker's gratuitous ARP
 * interval (the {@code --gratuitous-arp-interval} flag MetalLB has proposed, in seconds, or its
 * environment variable {@code METALLB_GRATUITOUS_ARP_INTERVAL}) carries over as
 * {@code spec.garpRefresh} of every converted L2Advertisement that sets none.
 */
final class MetallbWorkloads {

    static final String INTERVAL_FLAG = "--gratuitous-arp-interval";
    static final String INTERVAL_ENV = "METALLB_GRATUITOUS_ARP_INTERVAL";

    private MetallbWorkloads() {
    }

    /** Whether a Deployment or DaemonSet runs one of MetalLB's images. */
    static boolean isMetallbs(JsonNode workload) {
        for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
            String image = c.path("image").asString("");
            if (image.contains("metallb/speaker") || image.contains("metallb/controller")) {
                return true;
            }
        }
        return false;
    }

    /** The speaker's refresh interval in seconds, when a container sets one. */
    static Optional<String> gratuitousInterval(JsonNode workload) {
        for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
            JsonNode args = c.path("args");
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i).asString("");
                if (a.startsWith(INTERVAL_FLAG + "=")) {
                    return Optional.of(a.substring(INTERVAL_FLAG.length() + 1).strip());
                }
                if (a.equals(INTERVAL_FLAG) && i + 1 < args.size()) {
                    return Optional.of(args.get(i + 1).asString("").strip());
                }
            }
            for (JsonNode env : c.path("env")) {
                if (env.path("name").asString("").equals(INTERVAL_ENV) && env.path("value").isString()
                        && !env.path("value").stringValue().isBlank()) {
                    return Optional.of(env.path("value").stringValue().strip());
                }
            }
        }
        return Optional.empty();
    }

    /** Records what the workload means for the conversion: a note, and the interval if it sets one. */
    static void convert(Conversion c, JsonNode workload, Source where) {
        c.note(where, "MetalLB's own workload; left out (install Ferrite's controller and speaker from deploy/)");
        Optional<String> interval = gratuitousInterval(workload);
        if (interval.isEmpty()) {
            return;
        }
        long seconds;
        try {
            seconds = Long.parseLong(interval.get());
        } catch (NumberFormatException e) {
            c.error(where, INTERVAL_FLAG, "\"" + interval.get() + "\" is not a whole number of seconds");
            return;
        }
        if (seconds == 0) {
            return;
        }
        if (seconds < 1) {
            c.error(where, INTERVAL_FLAG, "\"" + interval.get() + "\" is negative; MetalLB refuses it too");
            return;
        }
        c.speakerRefresh = Optional.of(seconds + "s");
        c.speakerRefreshSource = where;
    }
}
