package dev.ferrite.api.v1beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A set of addresses the controller may hand to LoadBalancer Services (MetalLB-compatible fields).
 *
 * <p>The CRD generator orders printer columns by JSON path, not by declaration, so
 * {@code kubectl get ipaddresspools} shows Age first; IPv6 counts appear with {@code -o wide}.
 */
@AdditionalPrinterColumn(name = "Addresses", jsonPath = ".spec.addresses", type = Type.STRING)
@AdditionalPrinterColumn(name = "Auto Assign", jsonPath = ".spec.autoAssign", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Avoid Buggy IPs", jsonPath = ".spec.avoidBuggyIPs", type = Type.BOOLEAN, priority = 1)
@AdditionalPrinterColumn(name = "Assigned IPv4", jsonPath = ".status.assignedIPv4", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Available IPv4", jsonPath = ".status.availableIPv4", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Assigned IPv6", jsonPath = ".status.assignedIPv6", type = Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Available IPv6", jsonPath = ".status.availableIPv6", type = Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Valid", jsonPath = ".status.conditions[?(@.type==\"Valid\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@Group("ferrite.dev")
@Version("v1beta1")
// Named, not derived: fabric8 otherwise runs its English pluralizer (a dozen regexes) in every constructor.
@Plural("ipaddresspools")
@ShortNames("ipp")
public class IPAddressPool extends CustomResource<IPAddressPoolSpec, IPAddressPoolStatus> implements Namespaced {
}
