package dev.ferrite.controller.allocation;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.controller.allocation.ServiceRequest.FamilyPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which address families a Service gets, in which order ({@code ipFamilies} and
 * {@code ipFamilyPolicy}), and whether its requested IPs fit them. Pure functions.
 */
final class FamilyRules {
    private static final List<IpFamily> V4 = List.of(IpFamily.IPv4);
    private static final List<IpFamily> V6 = List.of(IpFamily.IPv6);
    private static final List<IpFamily> V4_V6 = List.of(IpFamily.IPv4, IpFamily.IPv6);
    private static final List<IpFamily> V6_V4 = List.of(IpFamily.IPv6, IpFamily.IPv4);

    private FamilyRules() {
    }

    /** The families the Service should get, in its order; the second one is optional for PreferDualStack. */
    static List<IpFamily> wanted(ServiceRequest r) {
        boolean v4First = r.families().isEmpty() || r.families().get(0) == IpFamily.IPv4;
        boolean dual = r.familyPolicy() == FamilyPolicy.REQUIRE_DUAL_STACK
                || (r.familyPolicy() == FamilyPolicy.PREFER_DUAL_STACK && r.families().size() > 1);
        if (dual) {
            return v4First ? V4_V6 : V6_V4;
        }
        return v4First ? V4 : V6;
    }

    /** {@code ips} sorted into the Service's family order. */
    static List<IpAddress> inOrder(ServiceRequest r, List<IpAddress> ips) {
        List<IpFamily> order = wanted(r);
        List<IpAddress> sorted = new ArrayList<>(ips);
        sorted.sort(Comparator.comparingInt(ip -> {
            int i = order.indexOf(ip.family());
            return i < 0 ? order.size() : i;
        }));
        return sorted;
    }

    /** Why the requested IPs cannot be used whatever the pools hold, or empty. */
    static Optional<String> requestedProblem(ServiceRequest r) {
        List<IpFamily> wanted = wanted(r);
        Set<IpFamily> seen = new HashSet<>();
        for (IpAddress ip : r.requestedIps()) {
            if (!seen.add(ip.family())) {
                return Optional.of("service " + r.key() + " requests two " + ip.family() + " addresses: " + r.requestedIps());
            }
            if (!wanted.contains(ip.family())) {
                return Optional.of("requested IP " + ip + " is " + ip.family() + " but service " + r.key()
                        + " has IP families " + r.families() + " (" + r.familyPolicy() + ")");
            }
        }
        if (r.familyPolicy() == FamilyPolicy.REQUIRE_DUAL_STACK && seen.size() < 2) {
            return Optional.of("service " + r.key() + " requires dual stack but requests only " + r.requestedIps());
        }
        return Optional.empty();
    }
}
