package dev.ferrite.controller.webhook;

import dev.ferrite.api.config.ConfigError;
import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Decides whether a change to the configuration may be stored. Pure: the objects in the
 * cluster and the change in, a {@link Verdict} out.
 *
 * <p>A CREATE or UPDATE is judged by the same {@link ConfigParser#parse} the controller and
 * the speaker run: the stored objects with the incoming one put in place of the object of
 * the same namespace and name (or added), and the request is denied with every error the
 * parser reports for the incoming object, among them overlaps with pools already stored.
 * Errors on other objects do not count: a pool that was broken before (created while the
 * webhook was not installed) must not block fixing something else.
 *
 * <p>A DELETE of a pool is denied while an advertisement names it in
 * {@code spec.ipAddressPools}, because that advertisement would become invalid and the
 * controller would keep the last valid configuration instead of the one the operator
 * sees. Advertisements that only select pools by label do not hold a pool.
 */
public final class ConfigAdmission {

    private ConfigAdmission() {
    }

    public static Verdict review(ConfigChange change, List<IPAddressPool> pools, List<L2Advertisement> advertisements) {
        if (change instanceof ConfigChange.PutPool put) {
            List<IPAddressPool> after = replaced(pools, put.pool());
            return verdict(ConfigParser.parse(after, advertisements), ConfigParser.POOL_KIND, put.pool());
        }
        if (change instanceof ConfigChange.PutAdvertisement put) {
            List<L2Advertisement> after = replaced(advertisements, put.advertisement());
            return verdict(ConfigParser.parse(pools, after), ConfigParser.ADVERTISEMENT_KIND, put.advertisement());
        }
        if (change instanceof ConfigChange.DeletePool delete) {
            return deletePool(delete, pools, advertisements);
        }
        return new Verdict.Allowed();
    }

    private static <T extends HasMetadata> List<T> replaced(List<T> stored, T incoming) {
        List<T> after = new ArrayList<>(stored.size() + 1);
        for (T o : stored) {
            if (!sameObject(o, incoming)) {
                after.add(o);
            }
        }
        after.add(incoming);
        return after;
    }

    private static boolean sameObject(HasMetadata a, HasMetadata b) {
        return a.getMetadata() != null && b.getMetadata() != null
                && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName())
                && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
    }

    private static Verdict verdict(ConfigResult result, String kind, HasMetadata incoming) {
        if (!(result instanceof ConfigResult.Invalid invalid)) {
            return new Verdict.Allowed();
        }
        List<ConfigError> own = invalid.errorsFor(kind, incoming.getMetadata().getName());
        if (own.isEmpty()) {
            return new Verdict.Allowed();
        }
        return new Verdict.Denied(own.stream().map(ConfigError::message).collect(Collectors.joining("; ")));
    }

    private static Verdict deletePool(ConfigChange.DeletePool delete, List<IPAddressPool> pools,
            List<L2Advertisement> advertisements) {
        // Pools are referred to by name alone; while a namesake in another namespace stays, the
        // references still resolve (the parser reports the namesake clash on its own).
        boolean namesakeStays = pools.stream().anyMatch(p -> p.getMetadata() != null
                && delete.name().equals(p.getMetadata().getName())
                && !Objects.equals(delete.namespace(), p.getMetadata().getNamespace()));
        if (namesakeStays) {
            return new Verdict.Allowed();
        }
        List<String> holders = new ArrayList<>();
        for (L2Advertisement a : advertisements) {
            List<String> named = a.getSpec() == null || a.getSpec().getIpAddressPools() == null
                    ? List.of() : a.getSpec().getIpAddressPools();
            int at = named.indexOf(delete.name());
            if (at >= 0) {
                holders.add(ConfigParser.ADVERTISEMENT_KIND + " " + qualified(a) + " (spec.ipAddressPools[" + at + "])");
            }
        }
        if (holders.isEmpty()) {
            return new Verdict.Allowed();
        }
        return new Verdict.Denied(ConfigParser.POOL_KIND + " " + delete.name() + " is still named by "
                + String.join(", ", holders) + "; remove it from there (or delete the advertisement) first");
    }

    private static String qualified(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? o.getMetadata().getName() : ns + "/" + o.getMetadata().getName();
    }
}
