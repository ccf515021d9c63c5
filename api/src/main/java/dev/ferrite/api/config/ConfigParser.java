package dev.ferrite.api.config;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import dev.ferrite.api.v1beta1.PreferredNodeSelector;
import dev.ferrite.api.v1beta1.ServiceAllocation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns every IPAddressPool and L2Advertisement into one validated {@link Config}, or into the
 * complete list of what is wrong. The controller, the speaker and the admission webhook all
 * call {@link #parse}, so they agree on what a configuration means; none of them acts on a
 * configuration this rejects (they keep the last valid one).
 *
 * <p>Rules. Every violation is collected (not just the first) as a {@link ConfigError}
 * naming the kind, the object, the field path, the value and the problem.
 * <p>Both kinds:
 * <ul>
 *   <li>{@code metadata.name} must be set, and unique per kind across namespaces (pools and
 *   advertisements are referred to by name alone).</li>
 *   <li>The result does not depend on input order: objects are processed sorted by name
 *   (then namespace), and the config's pools and advertisements are sorted by name.</li>
 * </ul>
 * IPAddressPool:
 * <ul>
 *   <li>{@code spec.addresses} must hold at least one entry; each entry is read by
 *   {@link AddressParser#parse}: a CIDR (IPv4 or IPv6, host bits accepted and masked to the
 *   network as Go's {@code net.ParseCIDR} does, so {@code 198.18.0.77/24} is
 *   198.18.0.0-198.18.0.255), a range {@code first-last} (spaces around {@code -} allowed,
 *   both ends of one family, first ≤ last), or one address written {@code /32},
 *   {@code /128} or {@code a-a}. A bare address, a reversed or mixed-family range, a prefix
 *   length outside 0-32 / 0-128, and anything that is not a literal (names are never
 *   resolved) are rejected.</li>
 *   <li>No two ranges overlap, neither inside one pool nor across pools, IPv4 and IPv6
 *   alike. An overlap of two pools is reported on both, each error naming the other pool,
 *   entry and value; inside one pool it is reported once, on the range that starts later.
 *   One sort, O(n log n) in the number of ranges.</li>
 *   <li>{@code spec.autoAssign} defaults to true, {@code spec.avoidBuggyIPs} to false; a
 *   pool's ranges are sorted.</li>
 *   <li>{@code spec.serviceAllocation.namespaces}: each a DNS-1123 label, none twice.</li>
 *   <li>{@code spec.serviceAllocation.namespaceSelectors} and {@code serviceSelectors}:
 *   label selectors validated by {@link SelectorParser} (qualified-name keys, label values,
 *   operator In/NotIn/Exists/DoesNotExist, In/NotIn with values, Exists/DoesNotExist
 *   without).</li>
 *   <li>{@code spec.serviceAllocation.priority} is taken as given (lower is tried first).</li>
 * </ul>
 * L2Advertisement:
 * <ul>
 *   <li>A missing spec is an empty spec: every pool, every node, every interface.</li>
 *   <li>{@code spec.ipAddressPools}: each must name an existing IPAddressPool (valid or
 *   not, so a broken pool is reported once, on the pool).</li>
 *   <li>{@code spec.ipAddressPoolSelectors}: validated selectors, matched against the
 *   pools' {@code metadata.labels}; the advertisement covers the named pools plus the
 *   matched ones. With neither field (or both empty) it covers every pool.</li>
 *   <li>{@code spec.nodeSelectors}, {@code spec.serviceSelectors}: validated selectors.</li>
 *   <li>{@code spec.interfaces}: each a Linux interface name: 1-15 characters, no
 *   {@code /}, {@code :} or whitespace, not {@code .} or {@code ..}; none twice.</li>
 * </ul>
 */
public final class ConfigParser {

    public static final String POOL_KIND = "IPAddressPool";
    public static final String ADVERTISEMENT_KIND = "L2Advertisement";

    /** MetalLB's bound on a preferred node selector's weight. */
    public static final int MAX_PREFERENCE_WEIGHT = 100;
    /** The shortest gratuitous refresh period: Linux's default neighbour {@code locktime}. */
    public static final Duration MIN_GARP_REFRESH = Duration.ofSeconds(1);

    /** Linux IFNAMSIZ is 16 including the terminating NUL. */
    static final int INTERFACE_NAME_MAX = 15;

    private static final Comparator<HasMetadata> BY_NAME = Comparator
            .comparing((HasMetadata o) -> nameOf(o), Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(o -> o.getMetadata() == null ? null : o.getMetadata().getNamespace(),
                    Comparator.nullsFirst(Comparator.<String>naturalOrder()));

    private ConfigParser() {
    }

    /** Parses and validates the whole configuration. Null collections count as empty. */
    public static ConfigResult parse(Collection<IPAddressPool> pools, Collection<L2Advertisement> advertisements) {
        List<IPAddressPool> sortedPools = sorted(pools);
        List<L2Advertisement> sortedAdvertisements = sorted(advertisements);
        List<ConfigError> errors = new ArrayList<>();

        Map<String, IPAddressPool> poolsByName = uniqueNames(POOL_KIND, sortedPools, errors);
        Map<String, Pool> parsedPools = new TreeMap<>();
        List<PlacedRange> placed = new ArrayList<>();
        for (int i = 0; i < sortedPools.size(); i++) {
            IPAddressPool object = sortedPools.get(i);
            String name = nameOf(object);
            Pool pool = parsePool(i, object, errors, placed);
            if (name != null && poolsByName.get(name) == object) {
                parsedPools.put(name, pool);
            }
        }
        reportOverlaps(placed, errors);

        Map<String, L2Advertisement> advertisementsByName = uniqueNames(ADVERTISEMENT_KIND, sortedAdvertisements, errors);
        List<Advertisement> parsedAdvertisements = new ArrayList<>();
        for (L2Advertisement object : sortedAdvertisements) {
            Advertisement advertisement = parseAdvertisement(object, sortedPools, poolsByName, errors);
            String name = nameOf(object);
            if (name != null && advertisementsByName.get(name) == object) {
                parsedAdvertisements.add(advertisement);
            }
        }

        if (!errors.isEmpty()) {
            return new ConfigResult.Invalid(errors);
        }
        return new ConfigResult.Valid(Config.of(parsedPools, parsedAdvertisements));
    }

    // ---- names ----

    private static <T extends HasMetadata> List<T> sorted(Collection<T> objects) {
        List<T> out = new ArrayList<>();
        if (objects != null) {
            for (T o : objects) {
                if (o != null) {
                    out.add(o);
                }
            }
        }
        out.sort(BY_NAME);
        return out;
    }

    private static String nameOf(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        return m == null || m.getName() == null || m.getName().isEmpty() ? null : m.getName();
    }

    /** How an object is named in an error: its name, or a placeholder when it has none. */
    private static String displayName(HasMetadata o) {
        String name = nameOf(o);
        return name == null ? "<unnamed>" : name;
    }

    /**
     * The first object of each name (in sorted order); every other one with the same name is
     * an error, since advertisements and Services refer to pools by name alone.
     */
    private static <T extends HasMetadata> Map<String, T> uniqueNames(String kind, List<T> objects, List<ConfigError> errors) {
        Map<String, T> byName = new HashMap<>();
        for (T o : objects) {
            String name = nameOf(o);
            if (name == null) {
                errors.add(new ConfigError(kind, displayName(o), "metadata.name", "", "is required"));
                continue;
            }
            T first = byName.putIfAbsent(name, o);
            if (first != null) {
                errors.add(new ConfigError(kind, name, "metadata.name", name, "the " + kind + " in namespace "
                        + o.getMetadata().getNamespace() + " has the same name as the one in namespace "
                        + first.getMetadata().getNamespace() + "; names must be unique across namespaces"));
            }
        }
        return byName;
    }

    // ---- pools ----

    /** A range with where it came from, for the overlap check and its messages. */
    private record PlacedRange(int poolOrder, String pool, int index, String text, IpRange range) {
        String field() {
            return "spec.addresses[" + index + "]";
        }
    }

    private static Pool parsePool(int order, IPAddressPool object, List<ConfigError> errors, List<PlacedRange> placed) {
        String name = displayName(object);
        IPAddressPoolSpec spec = object.getSpec() == null ? new IPAddressPoolSpec() : object.getSpec();
        List<IpRange> ranges = new ArrayList<>();
        List<String> addresses = spec.getAddresses();
        if (addresses == null || addresses.isEmpty()) {
            errors.add(new ConfigError(POOL_KIND, name, "spec.addresses", "[]",
                    "a pool needs at least one address; " + AddressParser.FORMS));
        } else {
            for (int i = 0; i < addresses.size(); i++) {
                String text = addresses.get(i);
                ParsedRange parsed = AddressParser.parse(text);
                if (parsed instanceof ParsedRange.Ok ok) {
                    ranges.add(ok.range());
                    placed.add(new PlacedRange(order, name, i, text, ok.range()));
                } else if (parsed instanceof ParsedRange.Rejected rejected) {
                    errors.add(new ConfigError(POOL_KIND, name, "spec.addresses[" + i + "]", String.valueOf(text),
                            rejected.problem()));
                }
            }
        }
        ranges.sort(Comparator.naturalOrder());

        Optional<Pool.ServiceAllocationRule> rule = Optional.empty();
        if (spec.getServiceAllocation() != null) {
            List<FieldProblem> problems = new ArrayList<>();
            rule = Optional.of(serviceAllocation(spec.getServiceAllocation(), problems));
            problems.forEach(p -> errors.add(p.in(POOL_KIND, name)));
        }
        Map<String, String> labels = object.getMetadata() == null || object.getMetadata().getLabels() == null
                ? Map.of() : withoutNulls(object.getMetadata().getLabels());
        return new Pool(name, labels, ranges,
                spec.getAutoAssign() == null || spec.getAutoAssign(),
                spec.getAvoidBuggyIPs() != null && spec.getAvoidBuggyIPs(),
                rule);
    }

    private static Pool.ServiceAllocationRule serviceAllocation(ServiceAllocation sa, List<FieldProblem> problems) {
        String field = "spec.serviceAllocation";
        Set<String> namespaces = new TreeSet<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        List<String> listed = sa.getNamespaces() == null ? List.of() : sa.getNamespaces();
        for (int i = 0; i < listed.size(); i++) {
            String ns = listed.get(i);
            String f = field + ".namespaces[" + i + "]";
            Optional<String> problem = KubernetesNames.dns1123LabelProblem(ns);
            if (problem.isPresent()) {
                problems.add(new FieldProblem(f, String.valueOf(ns), "namespace name " + problem.get()));
                continue;
            }
            Integer first = firstIndex.putIfAbsent(ns, i);
            if (first != null) {
                problems.add(new FieldProblem(f, ns, "namespace is listed twice (also at namespaces[" + first + "])"));
            }
            namespaces.add(ns);
        }
        List<Selector> namespaceSelectors =
                SelectorParser.convertList(sa.getNamespaceSelectors(), field + ".namespaceSelectors", problems);
        List<Selector> serviceSelectors =
                SelectorParser.convertList(sa.getServiceSelectors(), field + ".serviceSelectors", problems);
        return new Pool.ServiceAllocationRule(
                Optional.ofNullable(sa.getPriority()), namespaces, namespaceSelectors, serviceSelectors);
    }

    /**
     * Sorts every range by start address and sweeps once, keeping the range that reaches
     * furthest so far: a range starting at or before that reach overlaps it. Ranges of the
     * other family sort apart (IPv4 before IPv6) and never meet. An overlap between two pools
     * is reported on both, so each pool's status (and a webhook looking at the pool it admits)
     * sees it.
     */
    private static void reportOverlaps(List<PlacedRange> placed, List<ConfigError> errors) {
        List<PlacedRange> sorted = new ArrayList<>(placed);
        sorted.sort(Comparator.comparing(PlacedRange::range)
                .thenComparingInt(PlacedRange::poolOrder)
                .thenComparingInt(PlacedRange::index));
        List<Overlap> overlaps = new ArrayList<>();
        PlacedRange reach = null;
        for (PlacedRange current : sorted) {
            IpRange r = current.range();
            if (reach != null && reach.range().family() == r.family() && r.first().compareTo(reach.range().last()) <= 0) {
                String shared = span(r.first(), min(r.last(), reach.range().last()));
                overlaps.add(new Overlap(current, reach, shared));
                if (reach.poolOrder() != current.poolOrder()) {
                    overlaps.add(new Overlap(reach, current, shared));
                }
            }
            if (reach == null || reach.range().family() != r.family() || r.last().compareTo(reach.range().last()) > 0) {
                reach = current;
            }
        }
        // Grouped by pool and entry, as an operator reads them.
        overlaps.sort(Comparator.comparingInt((Overlap o) -> o.at().poolOrder())
                .thenComparingInt(o -> o.at().index())
                .thenComparingInt(o -> o.with().poolOrder())
                .thenComparingInt(o -> o.with().index()));
        for (Overlap o : overlaps) {
            errors.add(o.error());
        }
    }

    /** Range {@code at} overlaps range {@code with}; both hold {@code shared}. */
    private record Overlap(PlacedRange at, PlacedRange with, String shared) {
        ConfigError error() {
            String other = with.poolOrder() == at.poolOrder()
                    ? with.field() + " \"" + with.text() + "\" of the same pool"
                    : POOL_KIND + " " + with.pool() + " " + with.field() + " \"" + with.text() + "\"";
            return new ConfigError(POOL_KIND, at.pool(), at.field(), at.text(),
                    "overlaps " + other + " (both hold " + shared + "); an address may belong to one pool range only");
        }
    }

    private static IpAddress min(IpAddress a, IpAddress b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String span(IpAddress first, IpAddress last) {
        return first.equals(last) ? first.toString() : first + "-" + last;
    }

    private static Map<String, String> withoutNulls(Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    // ---- advertisements ----

    private static Advertisement parseAdvertisement(L2Advertisement object, List<IPAddressPool> pools,
            Map<String, IPAddressPool> poolsByName, List<ConfigError> errors) {
        String name = displayName(object);
        L2AdvertisementSpec spec = object.getSpec() == null ? new L2AdvertisementSpec() : object.getSpec();
        List<FieldProblem> problems = new ArrayList<>();

        Set<String> selected = new TreeSet<>();
        List<String> named = spec.getIpAddressPools() == null ? List.of() : spec.getIpAddressPools();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < named.size(); i++) {
            String pool = named.get(i);
            String f = "spec.ipAddressPools[" + i + "]";
            Integer first = pool == null ? null : firstIndex.putIfAbsent(pool, i);
            if (pool == null || pool.isEmpty()) {
                problems.add(new FieldProblem(f, "", "pool name is empty"));
            } else if (first != null) {
                problems.add(new FieldProblem(f, pool, "pool is listed twice (also at ipAddressPools[" + first + "])"));
            } else if (!poolsByName.containsKey(pool)) {
                problems.add(new FieldProblem(f, pool, "no " + POOL_KIND + " is named \"" + pool + "\""
                        + knownPools(poolsByName)));
            } else {
                selected.add(pool);
            }
        }
        List<Selector> poolSelectors = SelectorParser.convertList(
                spec.getIpAddressPoolSelectors(), "spec.ipAddressPoolSelectors", problems);
        boolean poolSelectorsGiven = !poolSelectors.isEmpty();
        if (named.isEmpty() && !poolSelectorsGiven) {
            selected.addAll(poolsByName.keySet());
        } else if (poolSelectorsGiven) {
            for (IPAddressPool pool : pools) {
                String poolName = nameOf(pool);
                Map<String, String> labels = pool.getMetadata() == null || pool.getMetadata().getLabels() == null
                        ? Map.of() : withoutNulls(pool.getMetadata().getLabels());
                if (poolName != null && poolSelectors.stream().anyMatch(s -> s.matches(labels))) {
                    selected.add(poolName);
                }
            }
        }

        List<Selector> nodeSelectors = SelectorParser.convertList(spec.getNodeSelectors(), "spec.nodeSelectors", problems);
        List<Selector> serviceSelectors =
                SelectorParser.convertList(spec.getServiceSelectors(), "spec.serviceSelectors", problems);
        List<String> interfaces = interfaces(spec.getInterfaces(), problems);
        List<Advertisement.Preference> preferences = preferences(spec.getPreferredNodeSelectors(), problems);
        Optional<Duration> refresh = garpRefresh(spec.getGarpRefresh(), problems);

        problems.forEach(p -> errors.add(p.in(ADVERTISEMENT_KIND, name)));
        return new Advertisement(name, selected, nodeSelectors, interfaces, serviceSelectors, preferences, refresh);
    }

    private static List<Advertisement.Preference> preferences(List<PreferredNodeSelector> listed, List<FieldProblem> problems) {
        List<Advertisement.Preference> out = new ArrayList<>();
        if (listed == null) {
            return out;
        }
        for (int i = 0; i < listed.size(); i++) {
            String f = "spec.preferredNodeSelectors[" + i + "]";
            PreferredNodeSelector p = listed.get(i);
            if (p == null) {
                problems.add(new FieldProblem(f, "null", "entry is empty; it needs a weight and a preference"));
                continue;
            }
            int before = problems.size();
            Integer weight = p.getWeight();
            if (weight == null) {
                problems.add(new FieldProblem(f + ".weight", "", "is required (1 to " + MAX_PREFERENCE_WEIGHT + ")"));
            } else if (weight < 1 || weight > MAX_PREFERENCE_WEIGHT) {
                problems.add(new FieldProblem(f + ".weight", String.valueOf(weight),
                        "must be from 1 to " + MAX_PREFERENCE_WEIGHT));
            }
            Selector selector;
            if (p.getPreference() == null) {
                problems.add(new FieldProblem(f + ".preference", "", "is required (write {} to prefer every node)"));
                selector = Selector.EVERYTHING;
            } else {
                selector = SelectorParser.convert(p.getPreference(), f + ".preference", problems);
            }
            if (problems.size() == before) {
                out.add(new Advertisement.Preference(weight, selector));
            }
        }
        return out;
    }

    private static Optional<Duration> garpRefresh(String text, List<FieldProblem> problems) {
        if (text == null) {
            return Optional.empty();
        }
        Optional<Duration> parsed = GoDuration.parse(text.strip());
        if (parsed.isEmpty()) {
            problems.add(new FieldProblem("spec.garpRefresh", text, "is not a duration such as 30s, 1m30s or 5m"));
            return Optional.empty();
        }
        if (parsed.get().compareTo(MIN_GARP_REFRESH) < 0) {
            problems.add(new FieldProblem("spec.garpRefresh", text, "must be at least 1s: Linux ignores a second "
                    + "update of a neighbour entry within locktime (1s by default); leave it out for no refresh"));
            return Optional.empty();
        }
        return parsed;
    }

    private static String knownPools(Map<String, IPAddressPool> poolsByName) {
        if (poolsByName.isEmpty()) {
            return "; there are no pools";
        }
        List<String> names = new ArrayList<>(new TreeSet<>(poolsByName.keySet()));
        if (names.size() > 10) {
            return "; pools are " + String.join(", ", names.subList(0, 10)) + ", … (" + names.size() + " in all)";
        }
        return "; pools are " + String.join(", ", names);
    }

    private static List<String> interfaces(List<String> listed, List<FieldProblem> problems) {
        List<String> out = new ArrayList<>();
        if (listed == null) {
            return out;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < listed.size(); i++) {
            String itf = listed.get(i);
            String f = "spec.interfaces[" + i + "]";
            Optional<String> problem = interfaceNameProblem(itf);
            if (problem.isPresent()) {
                problems.add(new FieldProblem(f, String.valueOf(itf), problem.get()));
                continue;
            }
            Integer first = firstIndex.putIfAbsent(itf, i);
            if (first != null) {
                problems.add(new FieldProblem(f, itf, "interface is listed twice (also at interfaces[" + first + "])"));
                continue;
            }
            out.add(itf);
        }
        return out;
    }

    /** The kernel's dev_valid_name rules; ':' is refused too because it marks an address alias. */
    static Optional<String> interfaceNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("interface name is empty");
        }
        if (name.length() > INTERFACE_NAME_MAX) {
            return Optional.of("interface name is " + name.length() + " characters; Linux allows at most "
                    + INTERFACE_NAME_MAX);
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("\"" + name + "\" is not an interface name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.of("interface name must not contain '/', ':' or whitespace");
            }
        }
        return Optional.empty();
    }
}
