package dev.ferrite.api.v1beta1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Written by the speaker that announces a Service: which node, which interfaces. */
@Group("ferrite.dev")
@Version("v1beta1")
@ShortNames("sl2s")
public class ServiceL2Status extends CustomResource<ServiceL2StatusSpec, ServiceL2StatusStatus> implements Namespaced {
}
