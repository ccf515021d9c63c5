package dev.ferrite.controller.allocation.k8s;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.controller.allocation.ParsedService;
import dev.ferrite.controller.allocation.ParsedService.AliasUse;
import dev.ferrite.controller.allocation.ParsedService.Rejected;
import dev.ferrite.controller.allocation.ServiceRequest;
import dev.ferrite.controller.allocation.ServiceRequest.FamilyPolicy;
import dev.ferrite.controller.allocation.ServiceRequest.Port;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads a Service object into the {@link ServiceRequest} the allocator works on: the
 * requested IPs, pool, sharing key, backend key, ports and IP families. MetalLB's
 * annotation names ({@code metallb.io/…}, then {@code metallb.universe.tf/…}) are read
 * when the Ferrite one is absent, and every such use is reported so the operator can be
 * told to rename it. Malformed values give a {@link Rejected} naming the field and value.
 */
public final class ServiceRequestParser {

    private ServiceRequestParser() {
    }

    /**
     * Whether Ferrite should serve the Service: type LoadBalancer, and either no class is
     * configured and the Service names none, or the Service names the configured class.
     */
    public static boolean isLoadBalancer(Service svc, Optional<String> lbClass) {
        ServiceSpec spec = svc.getSpec();
        if (spec == null || !"LoadBalancer".equals(spec.getType())) {
            return false;
        }
        return lbClass.map(c -> c.equals(spec.getLoadBalancerClass()))
                .orElse(spec.getLoadBalancerClass() == null);
    }

    public static ParsedService parse(Service svc, Map<String, String> namespaceLabels) {
        ObjectMeta meta = svc.getMetadata();
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        String key = meta.getNamespace() + "/" + meta.getName();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        List<AliasUse> aliases = new ArrayList<>();

        Optional<Annotation> ipsAnnotation = read(annotations, Annotations.LOADBALANCER_IPS, aliases);
        Optional<Annotation> poolAnnotation = read(annotations, Annotations.ADDRESS_POOL, aliases);
        Optional<Annotation> sharingAnnotation = read(annotations, Annotations.ALLOW_SHARED_IP, aliases);

        List<IpFamily> families = new ArrayList<>();
        if (spec.getIpFamilies() != null && !spec.getIpFamilies().isEmpty()) {
            for (String f : spec.getIpFamilies()) {
                Optional<IpFamily> family = family(f);
                if (family.isEmpty()) {
                    return new Rejected("spec.ipFamilies \"" + f + "\": not IPv4 or IPv6");
                }
                if (!families.contains(family.get())) {
                    families.add(family.get());
                }
            }
        } else {
            families.addAll(familiesOfClusterIps(spec));
        }

        FamilyPolicy policy;
        String policyText = spec.getIpFamilyPolicy();
        if (policyText == null || policyText.isEmpty() || policyText.equals("SingleStack")) {
            policy = FamilyPolicy.SINGLE_STACK;
        } else if (policyText.equals("PreferDualStack")) {
            policy = FamilyPolicy.PREFER_DUAL_STACK;
        } else if (policyText.equals("RequireDualStack")) {
            policy = FamilyPolicy.REQUIRE_DUAL_STACK;
        } else {
            return new Rejected("spec.ipFamilyPolicy \"" + policyText
                    + "\": not SingleStack, PreferDualStack or RequireDualStack");
        }

        List<IpAddress> requested = new ArrayList<>();
        String lbIp = spec.getLoadBalancerIP();
        boolean hasLbIp = lbIp != null && !lbIp.isBlank();
        if (ipsAnnotation.isPresent() && hasLbIp) {
            return new Rejected("annotation " + ipsAnnotation.get().key() + " \"" + ipsAnnotation.get().value()
                    + "\" and spec.loadBalancerIP \"" + lbIp + "\" are both set; use only the annotation");
        }
        if (ipsAnnotation.isPresent()) {
            Annotation a = ipsAnnotation.get();
            Optional<String> problem = parseIps(a.value(), families, requested);
            if (problem.isPresent()) {
                return new Rejected("annotation " + a.key() + " \"" + a.value() + "\": " + problem.get());
            }
        } else if (hasLbIp) {
            Optional<String> problem = parseIps(lbIp.trim(), families, requested);
            if (problem.isPresent()) {
                return new Rejected("spec.loadBalancerIP \"" + lbIp + "\": " + problem.get());
            }
        }

        Optional<String> backendKey = Optional.empty();
        if ("Local".equals(spec.getExternalTrafficPolicy())) {
            backendKey = Optional.of(backendKey(key, spec.getSelector()));
        }

        Set<Port> ports = new HashSet<>();
        if (spec.getPorts() != null) {
            for (ServicePort p : spec.getPorts()) {
                if (p.getPort() != null) {
                    ports.add(new Port(p.getProtocol() == null ? "TCP" : p.getProtocol(), p.getPort()));
                }
            }
        }

        ServiceRequest request = new ServiceRequest(
                key,
                meta.getNamespace(),
                meta.getLabels() == null ? Map.of() : meta.getLabels(),
                namespaceLabels == null ? Map.of() : namespaceLabels,
                requested,
                poolAnnotation.map(Annotation::value),
                sharingAnnotation.map(Annotation::value),
                backendKey,
                ports,
                families,
                policy);
        return new ParsedService.Request(request, aliases);
    }

    /** An annotation as found: the key actually present and its trimmed, non-empty value. */
    private record Annotation(String key, String value) {
    }

    /** The Ferrite key if set, else the first MetalLB alias set (recorded in {@code aliases}). */
    private static Optional<Annotation> read(Map<String, String> annotations, String ferriteKey, List<AliasUse> aliases) {
        Optional<Annotation> own = valueOf(annotations, ferriteKey);
        if (own.isPresent()) {
            return own;
        }
        for (String alias : Annotations.aliasesOf(ferriteKey)) {
            Optional<Annotation> a = valueOf(annotations, alias);
            if (a.isPresent()) {
                aliases.add(new AliasUse(alias, ferriteKey));
                return a;
            }
        }
        return Optional.empty();
    }

    private static Optional<Annotation> valueOf(Map<String, String> annotations, String key) {
        String v = annotations.get(key);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Annotation(key, v.trim()));
    }

    /** Parses comma-separated IPs into {@code out}; returns what is wrong, if anything. */
    private static Optional<String> parseIps(String text, List<IpFamily> families, List<IpAddress> out) {
        String[] parts = text.split(",", -1);
        if (parts.length > 2) {
            return Optional.of("at most two addresses, one per family");
        }
        Set<IpFamily> seen = new HashSet<>();
        for (String part : parts) {
            String s = part.trim();
            Optional<IpAddress> ip = IpAddress.parse(s);
            if (ip.isEmpty()) {
                return Optional.of("\"" + s + "\" is not an IP address");
            }
            if (!seen.add(ip.get().family())) {
                return Optional.of("two " + ip.get().family() + " addresses; give at most one per family");
            }
            if (!families.contains(ip.get().family())) {
                return Optional.of(s + " is " + ip.get().family() + " but the Service's IP families are " + families);
            }
            out.add(ip.get());
        }
        return Optional.empty();
    }

    private static Optional<IpFamily> family(String text) {
        for (IpFamily f : IpFamily.values()) {
            if (f.name().equals(text)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Families from spec.clusterIPs (or clusterIP), IPv4 when there is none to go by. */
    private static List<IpFamily> familiesOfClusterIps(ServiceSpec spec) {
        List<String> ips = new ArrayList<>();
        if (spec.getClusterIPs() != null) {
            ips.addAll(spec.getClusterIPs());
        }
        if (ips.isEmpty() && spec.getClusterIP() != null) {
            ips.add(spec.getClusterIP());
        }
        Set<IpFamily> out = new LinkedHashSet<>();
        for (String ip : ips) {
            IpAddress.parse(ip).ifPresent(a -> out.add(a.family()));
        }
        return out.isEmpty() ? List.of(IpFamily.IPv4) : List.copyOf(out);
    }

    /**
     * Services with {@code externalTrafficPolicy: Local} may share an address only when they
     * select the same pods, so the announcing node has endpoints for all of them. The key is
     * the selector as sorted {@code k=v} text; a Service without a selector manages its own
     * endpoints, so its key is unique to it.
     */
    private static String backendKey(String serviceKey, Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return "service " + serviceKey;
        }
        return new TreeMap<>(selector).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
