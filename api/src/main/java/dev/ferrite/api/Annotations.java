package dev.ferrite.api;

import java.util.List;

/**
 * Service annotations Ferrite reads and writes. MetalLB's names are read as aliases so that
 * Services move over unchanged; the controller warns with an Event naming the Ferrite key.
 */
public final class Annotations {
    private Annotations() {
    }

    public static final String PREFIX = "ferrite.dev/";
    public static final String ADDRESS_POOL = PREFIX + "address-pool";
    public static final String LOADBALANCER_IPS = PREFIX + "loadBalancerIPs";
    public static final String ALLOW_SHARED_IP = PREFIX + "allow-shared-ip";
    public static final String IP_ALLOCATED_FROM_POOL = PREFIX + "ip-allocated-from-pool";

    /** Prefixes of MetalLB annotations honoured as aliases, newest first. */
    public static final List<String> METALLB_PREFIXES = List.of("metallb.io/", "metallb.universe.tf/");

    /** Label that keeps a node out of every election (upstream Kubernetes well-known label). */
    public static final String EXCLUDE_FROM_LB_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";

    /** Field manager / event source name. */
    public static final String CONTROLLER_NAME = "ferrite-controller";
    public static final String SPEAKER_NAME = "ferrite-speaker";

    /** The MetalLB alias of a Ferrite annotation key, e.g. metallb.io/address-pool. */
    public static List<String> aliasesOf(String ferriteKey) {
        String suffix = ferriteKey.substring(PREFIX.length());
        return METALLB_PREFIXES.stream().map(p -> p + suffix).toList();
    }
}
