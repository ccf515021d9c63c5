package dev.ferrite.api.v1beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Written by the speaker that announces a Service: which node, which interfaces. */
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.node", type = Type.STRING)
@AdditionalPrinterColumn(name = "Service Name", jsonPath = ".status.serviceName", type = Type.STRING)
@AdditionalPrinterColumn(name = "Service Namespace", jsonPath = ".status.serviceNamespace", type = Type.STRING)
@AdditionalPrinterColumn(name = "IPs", jsonPath = ".status.ips", type = Type.STRING)
@AdditionalPrinterColumn(name = "Interfaces", jsonPath = ".status.interfaces[*].name", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@Group("ferrite.dev")
@Version("v1beta1")
// Named, not derived: fabric8 otherwise runs its English pluralizer (a dozen regexes) in every constructor.
@Plural("servicel2statuses")
@ShortNames("sl2s")
public class ServiceL2Status extends CustomResource<ServiceL2StatusSpec, ServiceL2StatusStatus> implements Namespaced {
}
