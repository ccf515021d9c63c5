package dev.ferrite.api.v1beta1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A set of addresses the controller may hand to LoadBalancer Services (MetalLB-compatible fields). */
@Group("ferrite.dev")
@Version("v1beta1")
@ShortNames("ipp")
public class IPAddressPool extends CustomResource<IPAddressPoolSpec, IPAddressPoolStatus> implements Namespaced {
}
