package dev.ferrite.controller.allocation;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the allocator needs to know about one LoadBalancer Service, already read out
 * of the Service object and its annotations (see {@code ServiceRequestParser}).
 *
 * @param key            {@code namespace/name}
 * @param requestedIps   from {@code ferrite.dev/loadBalancerIPs} or {@code spec.loadBalancerIP}; empty if none
 * @param pool           from {@code ferrite.dev/address-pool}
 * @param sharingKey     from {@code ferrite.dev/allow-shared-ip}
 * @param backendKey     present when {@code externalTrafficPolicy: Local}: the selector, canonical text;
 *                       Services sharing an IP must then have the same one
 * @param ports          protocol and port of every Service port; sharing Services must not clash
 * @param families       the Service's {@code spec.ipFamilies} in order (at least one)
 * @param familyPolicy   from {@code spec.ipFamilyPolicy}
 */
public record ServiceRequest(
        String key,
        String namespace,
        Map<String, String> serviceLabels,
        Map<String, String> namespaceLabels,
        List<IpAddress> requestedIps,
        Optional<String> pool,
        Optional<String> sharingKey,
        Optional<String> backendKey,
        Set<Port> ports,
        List<IpFamily> families,
        FamilyPolicy familyPolicy) {

    public ServiceRequest {
        serviceLabels = Map.copyOf(serviceLabels);
        namespaceLabels = Map.copyOf(namespaceLabels);
        requestedIps = List.copyOf(requestedIps);
        ports = Set.copyOf(ports);
        families = List.copyOf(families);
    }

    public record Port(String protocol, int port) {
    }

    public enum FamilyPolicy { SINGLE_STACK, PREFER_DUAL_STACK, REQUIRE_DUAL_STACK }
}
