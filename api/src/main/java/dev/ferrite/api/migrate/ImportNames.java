package dev.ferrite.api.migrate;

import dev.ferrite.api.config.KubernetesNames;
import java.util.Locale;
import java.util.Optional;

/**
 * Names of converted objects. Kubernetes refuses an object whose name is not a DNS-1123
 * subdomain (lower case letters, digits, '-' and '.', starting and ending with a letter or
 * digit, at most 253 characters). A MetalLB name that is not one — possible in the legacy
 * ConfigMap, which had no such rule, and in manifests never applied — is converted the way
 * MetalLB's own ConfigMap-to-CRD converter did: cut to 63 characters, lower-cased, '_' made
 * '-', everything before the first letter dropped. When that still is not a valid name, the
 * import refuses it with the rule, and the operator picks one.
 */
final class ImportNames {

    private ImportNames() {
    }

    /** Outcome of converting one name. */
    sealed interface Outcome {
        record Kept(String name) implements Outcome {
        }

        record Renamed(String from, String to) implements Outcome {
        }

        record Refused(String name, String problem) implements Outcome {
        }
    }

    static Outcome convert(String name) {
        if (KubernetesNames.dns1123SubdomainProblem(name).isEmpty()) {
            return new Outcome.Kept(name);
        }
        Optional<String> converted = metallbConversion(name);
        String rule = KubernetesNames.dns1123SubdomainProblem(name).orElse("");
        if (converted.isPresent() && KubernetesNames.dns1123SubdomainProblem(converted.get()).isEmpty()) {
            return new Outcome.Renamed(name, converted.get());
        }
        return new Outcome.Refused(name, "\"" + name + "\" is not a valid Kubernetes object name: a name " + rule
                + (converted.isPresent() ? "; MetalLB's converter would make it \"" + converted.get()
                        + "\", which is not valid either" : "")
                + "; rename it in the source (and every reference to it) and import again");
    }

    /** MetalLB's {@code formatToK8S}: empty when the name has no letter to start with. */
    static Optional<String> metallbConversion(String name) {
        String cut = name.length() > 63 ? name.substring(0, 63) : name;
        String lower = cut.toLowerCase(Locale.ROOT).replace('_', '-');
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c >= 'a' && c <= 'z') {
                return Optional.of(lower.substring(i));
            }
        }
        return Optional.empty();
    }
}
