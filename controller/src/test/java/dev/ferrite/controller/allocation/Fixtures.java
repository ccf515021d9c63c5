package dev.ferrite.controller.allocation;

import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.Pool;
import dev.ferrite.api.config.Selector;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.controller.allocation.ServiceRequest.FamilyPolicy;
import dev.ferrite.controller.allocation.ServiceRequest.Port;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Pools, configs and Service requests written the way an operator writes them. */
public final class Fixtures {
    private Fixtures() {
    }

    public static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow(() -> new IllegalArgumentException(text));
    }

    public static List<IpAddress> ips(String... texts) {
        return Arrays.stream(texts).map(Fixtures::ip).toList();
    }

    /** "198.18.0.0/30" or "198.18.0.1-198.18.0.9". */
    public static IpRange range(String text) {
        int dash = text.indexOf('-');
        if (dash > 0) {
            return new IpRange(ip(text.substring(0, dash)), ip(text.substring(dash + 1)));
        }
        int slash = text.indexOf('/');
        IpAddress base = ip(text.substring(0, slash));
        int prefix = Integer.parseInt(text.substring(slash + 1));
        BigInteger size = BigInteger.ONE.shiftLeft(base.family().bits() - prefix);
        BigInteger last = base.toBigInteger().add(size).subtract(BigInteger.ONE);
        return new IpRange(base, IpAddress.of(base.family(), last));
    }

    public static Pool pool(String name, String... addresses) {
        return new Pool(name, Map.of(), Arrays.stream(addresses).map(Fixtures::range).sorted().toList(),
                true, false, Optional.empty());
    }

    public static Pool manual(Pool p) {
        return new Pool(p.name(), p.labels(), p.ranges(), false, p.avoidBuggyIPs(), p.serviceAllocation());
    }

    public static Pool avoidingBuggyIPs(Pool p) {
        return new Pool(p.name(), p.labels(), p.ranges(), p.autoAssign(), true, p.serviceAllocation());
    }

    public static Pool withRule(Pool p, Integer priority, Set<String> namespaces,
                         List<Selector> namespaceSelectors, List<Selector> serviceSelectors) {
        return new Pool(p.name(), p.labels(), p.ranges(), p.autoAssign(), p.avoidBuggyIPs(),
                Optional.of(new Pool.ServiceAllocationRule(Optional.ofNullable(priority), namespaces,
                        namespaceSelectors, serviceSelectors)));
    }

    public static Pool withPriority(Pool p, Integer priority) {
        return withRule(p, priority, Set.of(), List.of(), List.of());
    }

    public static Pool forNamespaces(Pool p, String... namespaces) {
        return withRule(p, null, Set.of(namespaces), List.of(), List.of());
    }

    public static Selector labels(String key, String value) {
        return new Selector(Map.of(key, value), List.of());
    }

    public static Config config(Pool... pools) {
        Map<String, Pool> byName = new HashMap<>();
        for (Pool p : pools) {
            byName.put(p.name(), p);
        }
        return Config.of(byName, List.of());
    }

    public static Svc svc(String key) {
        return new Svc(key);
    }

    /** A Service request builder; defaults: single-stack IPv4, TCP/80, no annotations. */
    public static final class Svc {
        private final String key;
        private Map<String, String> labels = Map.of();
        private Map<String, String> namespaceLabels = Map.of();
        private List<IpAddress> requested = List.of();
        private Optional<String> pool = Optional.empty();
        private Optional<String> sharingKey = Optional.empty();
        private Optional<String> backendKey = Optional.empty();
        private Set<Port> ports = Set.of(new Port("TCP", 80));
        private List<IpFamily> families = List.of(IpFamily.IPv4);
        private FamilyPolicy policy = FamilyPolicy.SINGLE_STACK;

        Svc(String key) {
            this.key = key;
        }

        Svc labels(String k, String v) {
            labels = Map.of(k, v);
            return this;
        }

        Svc namespaceLabels(String k, String v) {
            namespaceLabels = Map.of(k, v);
            return this;
        }

        Svc requesting(String... ips) {
            requested = ips(ips);
            return this;
        }

        Svc pool(String name) {
            pool = Optional.of(name);
            return this;
        }

        Svc sharing(String key) {
            sharingKey = Optional.of(key);
            return this;
        }

        Svc backend(String key) {
            backendKey = Optional.of(key);
            return this;
        }

        /** "TCP/80", "UDP/53". */
        Svc ports(String... specs) {
            Set<Port> s = new HashSet<>();
            for (String spec : specs) {
                String[] p = spec.split("/");
                s.add(new Port(p[0], Integer.parseInt(p[1])));
            }
            ports = s;
            return this;
        }

        Svc families(FamilyPolicy policy, IpFamily... families) {
            this.policy = policy;
            this.families = List.of(families);
            return this;
        }

        String key() {
            return key;
        }

        ServiceRequest build() {
            String namespace = key.substring(0, key.indexOf('/'));
            return new ServiceRequest(key, namespace, labels, namespaceLabels, requested, pool, sharingKey,
                    backendKey, ports, families, policy);
        }
    }

    public static List<String> texts(List<IpAddress> ips) {
        List<String> out = new ArrayList<>();
        for (IpAddress a : ips) {
            out.add(a.toString());
        }
        return out;
    }
}
