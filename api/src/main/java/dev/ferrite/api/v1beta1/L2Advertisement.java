package dev.ferrite.api.v1beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which pools are announced over ARP/NDP, from which nodes and on which interfaces. */
@AdditionalPrinterColumn(name = "IPAddressPools", jsonPath = ".spec.ipAddressPools", type = Type.STRING)
@AdditionalPrinterColumn(name = "IPAddressPool Selectors", jsonPath = ".spec.ipAddressPoolSelectors", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Interfaces", jsonPath = ".spec.interfaces", type = Type.STRING)
@AdditionalPrinterColumn(name = "Node Selectors", jsonPath = ".spec.nodeSelectors", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Valid", jsonPath = ".status.conditions[?(@.type==\"Valid\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@Group("ferrite.dev")
@Version("v1beta1")
// Named, not derived: fabric8 otherwise runs its English pluralizer (a dozen regexes) in every constructor.
@Plural("l2advertisements")
@ShortNames("l2adv")
public class L2Advertisement extends CustomResource<L2AdvertisementSpec, L2AdvertisementStatus> implements Namespaced {
}
