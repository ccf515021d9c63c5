package dev.ferrite.speaker.status;

import dev.ferrite.speaker.model.ServiceKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names and labels of ServiceL2Status objects. A name is {@code <namespace>.<service>.<node>}
 * when that is a valid object name of at most 63 characters; otherwise a readable prefix plus a
 * hash of the three parts, so names stay deterministic and distinct for every speaker. Dots
 * separate the parts because namespaces and Service names cannot contain one: with dashes,
 * {@code a-b/c} and {@code a/b-c} would share an object.
 */
public final class StatusName {

    public static final String SERVICE_NAMESPACE_LABEL = "ferrite.dev/service-namespace";
    public static final String SERVICE_NAME_LABEL = "ferrite.dev/service-name";
    public static final String NODE_LABEL = "ferrite.dev/node";

    static final int MAX = 63;
    private static final int HASH_CHARS = 10;

    private StatusName() {
    }

    public static String of(ServiceKey service, String node) {
        String plain = service.namespace() + "." + service.name() + "." + node;
        String cleaned = clean(plain);
        if (cleaned.equals(plain) && plain.length() <= MAX) {
            return plain;
        }
        String hash = hash(service.namespace() + "/" + service.name() + "/" + node);
        String prefix = cleaned.substring(0, Math.min(cleaned.length(), MAX - HASH_CHARS - 1));
        prefix = trimDashes(prefix);
        return prefix.isEmpty() ? hash : prefix + "-" + hash;
    }

    /** A label value for {@code value}: itself when valid, otherwise a hash (label values are ≤ 63 chars). */
    public static String labelValue(String value) {
        if (value.length() <= MAX && value.matches("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?")) {
            return value;
        }
        return hash(value);
    }

    private static String clean(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ? c : '-');
        }
        return trimDashes(sb.toString());
    }

    private static String trimDashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '-' || s.charAt(from) == '.')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '-' || s.charAt(to - 1) == '.')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
