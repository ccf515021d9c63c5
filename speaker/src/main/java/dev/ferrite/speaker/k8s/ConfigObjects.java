package dev.ferrite.speaker.k8s;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import dev.ferrite.api.v1beta1.PreferredNodeSelector;
import dev.ferrite.api.v1beta1.ServiceAllocation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads IPAddressPools and L2Advertisements from their JSON into the CRD's model classes, which
 * the shared config parser validates: every field of their specs (the parser judges them all,
 * as the controller does), the metadata the parser reads (name, namespace, labels), no status.
 * A member absent leaves the model's default, a member that is null sets null, as a JSON
 * binding of the model would. Pure.
 */
public final class ConfigObjects {

    private ConfigObjects() {
    }

    public static ObjectViews.Read<IPAddressPool> pool(JsonReader in) {
        IPAddressPool pool = new IPAddressPool();
        ObjectMeta meta = new ObjectMeta();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> meta = metadata(in);
                case "spec" -> pool.setSpec(poolSpec(in));
                default -> in.skipValue();
            }
        }
        in.endObject();
        return read(meta, pool);
    }

    public static ObjectViews.Read<L2Advertisement> advertisement(JsonReader in) {
        L2Advertisement advertisement = new L2Advertisement();
        ObjectMeta meta = new ObjectMeta();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> meta = metadata(in);
                case "spec" -> advertisement.setSpec(advertisementSpec(in));
                default -> in.skipValue();
            }
        }
        in.endObject();
        return read(meta, advertisement);
    }

    private static IPAddressPoolSpec poolSpec(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "addresses" -> spec.setAddresses(strings(in));
                case "autoAssign" -> spec.setAutoAssign(in.nextBoolean());
                case "avoidBuggyIPs" -> spec.setAvoidBuggyIPs(in.nextBoolean());
                case "serviceAllocation" -> spec.setServiceAllocation(serviceAllocation(in));
                default -> in.skipValue();
            }
        }
        in.endObject();
        return spec;
    }

    private static L2AdvertisementSpec advertisementSpec(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        L2AdvertisementSpec spec = new L2AdvertisementSpec();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "ipAddressPools" -> spec.setIpAddressPools(strings(in));
                case "ipAddressPoolSelectors" -> spec.setIpAddressPoolSelectors(list(in, ConfigObjects::selector));
                case "nodeSelectors" -> spec.setNodeSelectors(list(in, ConfigObjects::selector));
                case "interfaces" -> spec.setInterfaces(strings(in));
                case "serviceSelectors" -> spec.setServiceSelectors(list(in, ConfigObjects::selector));
                case "preferredNodeSelectors" -> spec.setPreferredNodeSelectors(list(in, ConfigObjects::preferred));
                case "garpRefresh" -> spec.setGarpRefresh(in.nextString());
                default -> in.skipValue();
            }
        }
        in.endObject();
        return spec;
    }

    private static <T extends HasMetadata> ObjectViews.Read<T> read(ObjectMeta meta, T object) {
        object.setMetadata(meta);
        String key = meta.getName() == null ? null
                : meta.getNamespace() == null ? meta.getName() : meta.getNamespace() + "/" + meta.getName();
        return new ObjectViews.Read<>(key, meta.getResourceVersion(), object);
    }

    /** The metadata the parser reads, as {@link ObjectViews} reads every object's. */
    private static ObjectMeta metadata(JsonReader in) {
        ObjectViews.Meta read = ObjectViews.Meta.read(in);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(read.name);
        meta.setNamespace(read.namespace);
        meta.setUid(read.uid);
        meta.setResourceVersion(read.resourceVersion);
        meta.setLabels(new LinkedHashMap<>(read.labels));
        return meta;
    }

    private static ServiceAllocation serviceAllocation(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        ServiceAllocation allocation = new ServiceAllocation();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "priority" -> allocation.setPriority(integer(in));
                case "namespaces" -> allocation.setNamespaces(strings(in));
                case "namespaceSelectors" -> allocation.setNamespaceSelectors(list(in, ConfigObjects::selector));
                case "serviceSelectors" -> allocation.setServiceSelectors(list(in, ConfigObjects::selector));
                default -> in.skipValue();
            }
        }
        in.endObject();
        return allocation;
    }

    private static PreferredNodeSelector preferred(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        PreferredNodeSelector preferred = new PreferredNodeSelector();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "weight" -> preferred.setWeight(integer(in));
                case "preference" -> preferred.setPreference(selector(in));
                default -> in.skipValue();
            }
        }
        in.endObject();
        return preferred;
    }

    private static LabelSelector selector(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        LabelSelector selector = new LabelSelector();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "matchLabels" -> selector.setMatchLabels(stringMap(in));
                case "matchExpressions" -> selector.setMatchExpressions(list(in, ConfigObjects::requirement));
                default -> in.skipValue();
            }
        }
        in.endObject();
        return selector;
    }

    private static LabelSelectorRequirement requirement(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        LabelSelectorRequirement requirement = new LabelSelectorRequirement();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "key" -> requirement.setKey(in.nextString());
                case "operator" -> requirement.setOperator(in.nextString());
                case "values" -> requirement.setValues(strings(in));
                default -> in.skipValue();
            }
        }
        in.endObject();
        return requirement;
    }

    /** An array read element by element; null for JSON's null. */
    private static <T> List<T> list(JsonReader in, Function<JsonReader, T> element) {
        if (in.nextIsNull()) {
            return null;
        }
        List<T> out = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            out.add(element.apply(in));
        }
        in.endArray();
        return out;
    }

    private static List<String> strings(JsonReader in) {
        return list(in, JsonReader::nextString);
    }

    /** An object of strings (a label map); null for JSON's null. */
    private static Map<String, String> stringMap(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            out.put(name, in.nextString());
        }
        in.endObject();
        return out;
    }

    /** A whole number that fits an int; null for JSON's null. */
    private static Integer integer(JsonReader in) {
        if (in.nextIsNull()) {
            return null;
        }
        String text = in.nextNumberText();
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new JsonReader.JsonException("expected a whole number that fits 32 bits, found " + text);
        }
    }
}
