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
        Optional<Checked<IPAddressPoolSpec>> checked = checked(node, MetallbSchema.POOL_SPEC, IPAddressPoolSpec.class, where);
        if (checked.isEmpty()) {
            return;
        }
        String name = checked.get().name();
        IPAddressPoolSpec spec = checked.get().spec();
        if (spec.getServiceAllocation() != null && Integer.valueOf(0).equals(spec.getServiceAllocation().getPriority())) {
            // MetalLB's priority is a plain int: 0 is "not set", tried after every pool with a priority.
            spec.getServiceAllocation().setPriority(null);
            c.note(where, "spec.serviceAllocation.priority 0 means \"no priority\" in MetalLB; left out to keep that meaning");
        }
        IPAddressPool pool = new IPAddressPool();
        pool.setMetadata(c.targetMeta(where, node.path("metadata"), name));
        pool.setSpec(spec);
        c.poolNames.put(node.path("metadata").path("name").asString(""), name);
        c.addPool(pool, where, UnaryOperator.identity());
    }

    private void advertisement(JsonNode node, Source where) {
        Optional<Checked<L2AdvertisementSpec>> checked =
                checked(node, MetallbSchema.ADVERTISEMENT_SPEC, L2AdvertisementSpec.class, where);
        if (checked.isEmpty()) {
            return;
        }
        L2Advertisement advertisement = new L2Advertisement();
        advertisement.setMetadata(c.targetMeta(where, node.path("metadata"), checked.get().name()));
        advertisement.setSpec(checked.get().spec());
        c.addAdvertisement(advertisement, where, UnaryOperator.identity());
    }

    /** A MetalLB object that passed the checks: its output name and its spec as Ferrite's class. */
    private record Checked<T>(String name, T spec) {
    }

    /**
     * Checks metadata and spec against MetalLB's schema, then names the object and reads its
     * spec; empty, with the errors recorded, when any step fails.
     */
    private <T> Optional<Checked<T>> checked(JsonNode node, MetallbSchema.Fields specType, Class<T> type, Source where) {
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
        Optional<String> name = c.outputName(where, "metadata.name", node.path("metadata").path("name").asString(""));
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return read(node.path("spec"), type, where).map(spec -> new Checked<>(name.get(), spec));
    }

    /** The spec as Ferrite's class; the schema check before makes a failure here a bug, still reported plainly. */
    private <T> Optional<T> read(JsonNode spec, Class<T> type, Source where) {
        try {
            return Optional.ofNullable(c.json.treeToValue(spec.isObject() ? spec : c.json.createObjectNode(), type));
        } catch (JacksonException e) {
            c.error(where, "spec", "cannot be read: " + MetallbSchema.show(spec));
            return Optional.empty();
        }
    }
}
