package dev.ferrite.api.v1beta1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which pools are announced over ARP/NDP, from which nodes and on which interfaces. */
@Group("ferrite.dev")
@Version("v1beta1")
@ShortNames("l2adv")
public class L2Advertisement extends CustomResource<L2AdvertisementSpec, L2AdvertisementStatus> implements Namespaced {
}
