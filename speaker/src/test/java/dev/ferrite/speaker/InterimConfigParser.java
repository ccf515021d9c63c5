package dev.ferrite.speaker;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.Config;
import dev.ferrite.api.config.ConfigError;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.config.Pool;
import dev.ferrite.api.config.Selector;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The part of config validation the speaker relies on (advertisements resolve to existing
 * pools; selectors), for the glue tests while the shared parser is not on this branch.
 */
final class InterimConfigParser {

    private InterimConfigParser() {
    }

    static ConfigResult parse(List<IPAddressPool> pools, List<L2Advertisement> advertisements) {
        Map<String, Pool> byName = new TreeMap<>();
        for (IPAddressPool p : pools) {
            Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
            byName.put(p.getMetadata().getName(), new Pool(p.getMetadata().getName(), labels, List.of(), true, false,
                    Optional.empty()));
        }
        List<ConfigError> errors = new ArrayList<>();
        List<Advertisement> ads = new ArrayList<>();
        for (L2Advertisement a : advertisements) {
            String name = a.getMetadata().getName();
            var spec = a.getSpec();
            Set<String> names = new HashSet<>();
            if (spec != null && spec.getIpAddressPools() != null) {
                for (int i = 0; i < spec.getIpAddressPools().size(); i++) {
                    String pool = spec.getIpAddressPools().get(i);
                    if (!byName.containsKey(pool)) {
                        errors.add(new ConfigError("L2Advertisement", name, "spec.ipAddressPools[" + i + "]", pool,
                                "no such IPAddressPool"));
                    }
                    names.add(pool);
                }
            }
            if (names.isEmpty()) {
                names.addAll(byName.keySet());
            }
            ads.add(new Advertisement(name, names,
                    selectors(spec == null ? null : spec.getNodeSelectors()),
                    spec == null || spec.getInterfaces() == null ? List.of() : spec.getInterfaces(),
                    selectors(spec == null ? null : spec.getServiceSelectors())));
        }
        return errors.isEmpty() ? new ConfigResult.Valid(Config.of(byName, ads)) : new ConfigResult.Invalid(errors);
    }

    private static List<Selector> selectors(List<LabelSelector> in) {
        List<Selector> out = new ArrayList<>();
        if (in == null) {
            return out;
        }
        for (LabelSelector s : in) {
            List<Selector.Requirement> reqs = new ArrayList<>();
            if (s.getMatchExpressions() != null) {
                for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                    reqs.add(new Selector.Requirement(r.getKey(), Selector.Operator.valueOf(r.getOperator()),
                            r.getValues() == null ? Set.of() : Set.copyOf(r.getValues())));
                }
            }
            out.add(new Selector(s.getMatchLabels() == null ? Map.of() : s.getMatchLabels(), reqs));
        }
        return out;
    }
}
