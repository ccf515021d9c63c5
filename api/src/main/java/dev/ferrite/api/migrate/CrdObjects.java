package dev.ferrite.api.migrate;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * MetalLB's custom resources ({@code metallb.io}): IPAddressPool and L2Advertisement become
 * Ferrite's with every field (Ferrite kept MetalLB's names, so a spec carries over as it is
 * once {@link MetallbSchema} accepts it); the BGP kinds are reported as not converted; the
 * status kinds are left out, since Ferrite writes its own.
 */
final class CrdObjects {

    static final String GROUP = "metallb.io";
    static final String BGP_WHY = "BGP is not supported: Ferrite announces over layer 2 (ARP/NDP) only";

    private static final List<String> TOP_LEVEL = List.of("apiVersion", "kind", "metadata", "spec", "status");

    private final Conversion c;

    CrdObjects(Conversion c) {
        this.c = c;
    }

    void convert(JsonNode node, String kind, String version, Source where) {
        switch (kind) {
            case "IPAddressPool" -> {
                if (knownVersion(version, where)) {
                    pool(node, where);
                }
            }
            case "L2Advertisement" -> {
                if (knownVersion(version, where)) {
                    advertisement(node, where);
                }
            }
            case "AddressPool" -> new LegacyConfig(c).addressPool(node, where);
            case "BGPPeer" -> c.unsupported(where, BGP_WHY + "; the BGP session is not converted");
            case "BGPAdvertisement" -> {
                c.notConvertedPools.addAll(Conversion.strings(node.path("spec").path("ipAddressPools")));
                c.unsupported(where, BGP_WHY + "; the advertisement is not converted (its pools are, "
                        + "and are announced only where an L2Advertisement selects them)");
            }
            case "BFDProfile" -> c.unsupported(where, "BFD only serves BGP sessions, and " + BGP_WHY + "; not converted");
            case "Community" -> c.unsupported(where,
                    "BGP communities are not supported: Ferrite announces over layer 2 (ARP/NDP) only; not converted");
            case "ServiceL2Status", "ServiceBGPStatus", "ConfigurationState" ->
                    c.note(where, "status written by MetalLB; left out (Ferrite writes its own)");
            default -> c.unsupported(where, "MetalLB kind " + kind + " has no Ferrite equivalent; not converted");
        }
    }

    private boolean knownVersion(String version, Source where) {
        if (version.equals("v1beta1")) {
            return true;
        }
        c.unsupported(where, "version " + version + " is not known (expected metallb.io/v1beta1); not converted");
        return false;
    }

    private void pool(JsonNode node, Source where) {
        Optional<String> name = checked(node, MetallbSchema.POOL_SPEC, where);
        if (name.isEmpty()) {
            return;
        }
        IPAddressPoolSpec spec = read(node.path("spec"), IPAddressPoolSpec.class, where);
        if (spec == null) {
            return;
        }
        if (spec.getServiceAllocation() != null && Integer.valueOf(0).equals(spec.getServiceAllocation().getPriority())) {
            // MetalLB's priority is a plain int: 0 is "not set", tried after every pool with a priority.
            spec.getServiceAllocation().setPriority(null);
            c.note(where, "spec.serviceAllocation.priority 0 means \"no priority\" in MetalLB; left out to keep that meaning");
        }
        IPAddressPool pool = new IPAddressPool();
        pool.setMetadata(c.targetMeta(where, node.path("metadata"), name.get()));
        pool.setSpec(spec);
        c.poolNames.put(node.path("metadata").path("name").asString(""), name.get());
        c.addPool(pool, where, UnaryOperator.identity());
    }

    private void advertisement(JsonNode node, Source where) {
        Optional<String> name = checked(node, MetallbSchema.ADVERTISEMENT_SPEC, where);
        if (name.isEmpty()) {
            return;
        }
        L2AdvertisementSpec spec = read(node.path("spec"), L2AdvertisementSpec.class, where);
        if (spec == null) {
            return;
        }
        L2Advertisement advertisement = new L2Advertisement();
        advertisement.setMetadata(c.targetMeta(where, node.path("metadata"), name.get()));
        advertisement.setSpec(spec);
        c.addAdvertisement(advertisement, where, UnaryOperator.identity());
    }

    /** Checks metadata and spec against MetalLB's schema; the output name when both are fine. */
    private Optional<String> checked(JsonNode node, MetallbSchema.Fields specType, Source where) {
        List<MetallbSchema.Problem> problems = new ArrayList<>();
        for (String key : node.propertyNames()) {
            if (!TOP_LEVEL.contains(key)) {
                // A misspelt spec would otherwise be an empty spec: an advertisement of every pool.
                problems.add(new MetallbSchema.Problem(key, "unknown field \"" + key + "\""
                        + MetallbSchema.didYouMean(key, TOP_LEVEL).map(k -> "; did you mean \"" + k + "\"?").orElse("")
                        + " (a Kubernetes object has apiVersion, kind, metadata, spec and status)"));
            }
        }
        MetallbSchema.check(node.path("metadata"), MetallbSchema.METADATA, "metadata", problems);
        MetallbSchema.check(node.path("spec"), specType, "spec", problems);
        if (!c.schemaOk(where, problems)) {
            return Optional.empty();
        }
        return c.outputName(where, "metadata.name", node.path("metadata").path("name").asString(""));
    }

    /** The spec as Ferrite's class; the schema check before makes a failure here a bug, still reported plainly. */
    private <T> T read(JsonNode spec, Class<T> type, Source where) {
        try {
            return c.json.treeToValue(spec.isObject() ? spec : c.json.createObjectNode(), type);
        } catch (JacksonException e) {
            c.error(where, "spec", "cannot be read: " + MetallbSchema.show(spec));
            return null;
        }
    }
}
