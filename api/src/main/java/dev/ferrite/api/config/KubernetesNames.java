package dev.ferrite.api.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API server's syntax rules for names and labels (k8s.io/apimachinery validation), so a
 * selector or namespace the API server would refuse is refused here with the same reason
 * instead of silently matching nothing. Each check returns the problem, or empty when valid.
 */
public final class KubernetesNames {

    public static final int LABEL_VALUE_MAX = 63;
    public static final int QUALIFIED_NAME_MAX = 63;
    public static final int DNS1123_LABEL_MAX = 63;
    public static final int DNS1123_SUBDOMAIN_MAX = 253;

    // ASCII classes spelled out: Java's \w and friends are not what Kubernetes means.
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private KubernetesNames() {
    }

    /** A label key or annotation key: an optional DNS subdomain prefix and '/', then a name. */
    public static Optional<String> qualifiedNameProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("must not be empty");
        }
        String[] parts = key.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            if (prefix.isEmpty()) {
                return Optional.of("prefix part before '/' must not be empty");
            }
            Optional<String> prefixProblem = dns1123SubdomainProblem(prefix);
            if (prefixProblem.isPresent()) {
                return Optional.of("prefix part " + prefixProblem.get());
            }
            name = parts[1];
        } else {
            return Optional.of("must be a name optionally prefixed by a DNS subdomain and one '/' "
                    + "(e.g. app or example.com/app)");
        }
        if (name.isEmpty()) {
            return Optional.of("name part must not be empty");
        }
        return lengthOrSyntaxProblem(name, QUALIFIED_NAME_MAX, QUALIFIED_NAME,
                "must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit")
                .map(problem -> "name part " + problem);
    }

    /** A label value: empty, or up to 63 of letters, digits, '-', '_', '.' starting and ending alphanumeric. */
    public static Optional<String> labelValueProblem(String value) {
        if (value == null) {
            return Optional.of("must not be null; use \"\" for an empty value");
        }
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return lengthOrSyntaxProblem(value, LABEL_VALUE_MAX, QUALIFIED_NAME,
                "must be empty or consist of letters, digits, '-', '_' or '.', "
                        + "and start and end with a letter or digit");
    }

    /** A DNS-1123 label, the syntax of a namespace name. */
    public static Optional<String> dns1123LabelProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        return lengthOrSyntaxProblem(name, DNS1123_LABEL_MAX, DNS1123_LABEL,
                "must consist of lower case letters, digits or '-', and start and end with a letter or digit");
    }

    /** A DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters. */
    public static Optional<String> dns1123SubdomainProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        return lengthOrSyntaxProblem(name, DNS1123_SUBDOMAIN_MAX, DNS1123_SUBDOMAIN,
                "must consist of lower case letters, digits, '-' or '.', and start and end with a letter or digit");
    }

    /** The checks every rule ends with: at most {@code max} characters, then the pattern {@code syntax} describes. */
    private static Optional<String> lengthOrSyntaxProblem(String value, int max, Pattern pattern, String syntax) {
        if (value.length() > max) {
            return Optional.of("must be no more than " + max + " characters, has " + value.length());
        }
        if (!pattern.matcher(value).matches()) {
            return Optional.of(syntax);
        }
        return Optional.empty();
    }
}
