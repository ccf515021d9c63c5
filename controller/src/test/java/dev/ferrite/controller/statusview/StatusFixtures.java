package dev.ferrite.controller.statusview;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.IPAddressPoolStatus;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import dev.ferrite.api.v1beta1.L2AdvertisementStatus;
import dev.ferrite.api.v1beta1.InterfaceInfo;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.api.v1beta1.ServiceL2StatusStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Objects as the controller and speakers leave them, for report and command tests. */
final class StatusFixtures {

    static final String NS = "ferrite-system";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private StatusFixtures() {
    }

    static String ago(Duration d) {
        return NOW.minus(d).toString();
    }

    /** A Ferrite LoadBalancer Service; {@code ips} empty means pending. */
    static Service service(String namespace, String name, Duration age, String pool, String... ips) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .withUid(namespace + "-" + name + "-uid").withCreationTimestamp(ago(age)).endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec();
        if (pool != null) {
            b.editMetadata().addToAnnotations(Annotations.IP_ALLOCATED_FROM_POOL, pool).endMetadata();
        }
        b.withNewStatus().withNewLoadBalancer().withIngress(Arrays.stream(ips)
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build()).toList())
                .endLoadBalancer().endStatus();
        return b.build();
    }

    static Service withClass(Service s, String lbClass) {
        return new ServiceBuilder(s).editSpec().withLoadBalancerClass(lbClass).endSpec().build();
    }

    static ServiceL2Status announced(String namespace, String name, String node) {
        ServiceL2Status s = new ServiceL2Status();
        s.getMetadata().setNamespace(NS);
        s.getMetadata().setName(namespace + "." + name + "." + node);
        ServiceL2StatusStatus st = new ServiceL2StatusStatus();
        st.setNode(node);
        st.setServiceName(name);
        st.setServiceNamespace(namespace);
        st.setIps(List.of());
        st.setInterfaces(List.of(new InterfaceInfo("eth0")));
        s.setStatus(st);
        return s;
    }

    /** A pool with counts in status (null counts: not written yet). */
    static IPAddressPool pool(String name, Long assignedV4, Long availableV4, Long assignedV6, Long availableV6) {
        IPAddressPool p = new IPAddressPool();
        p.getMetadata().setNamespace(NS);
        p.getMetadata().setName(name);
        p.getMetadata().setCreationTimestamp(ago(Duration.ofDays(2)));
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAddresses(List.of("198.18.0.200-198.18.0.209"));
        p.setSpec(spec);
        IPAddressPoolStatus st = new IPAddressPoolStatus();
        st.setAssignedIPv4(assignedV4);
        st.setAvailableIPv4(availableV4);
        st.setAssignedIPv6(assignedV6);
        st.setAvailableIPv6(availableV6);
        st.getConditions().add(new ConditionBuilder().withType("Valid").withStatus("True").withReason("Valid")
                .withMessage("part of the configuration in force").build());
        p.setStatus(st);
        return p;
    }

    static IPAddressPool invalidPool(String name, String error) {
        IPAddressPool p = pool(name, null, null, null, null);
        p.getStatus().setConditions(List.of(new ConditionBuilder().withType("Valid").withStatus("False")
                .withReason("InvalidConfiguration").withMessage(error).withLastTransitionTime(ago(Duration.ofMinutes(7)))
                .build()));
        return p;
    }

    static L2Advertisement advertisement(String name, String error) {
        L2Advertisement a = new L2Advertisement();
        a.getMetadata().setNamespace(NS);
        a.getMetadata().setName(name);
        a.setSpec(new L2AdvertisementSpec());
        L2AdvertisementStatus st = new L2AdvertisementStatus();
        st.getConditions().add(new ConditionBuilder().withType("Valid").withStatus(error == null ? "True" : "False")
                .withReason(error == null ? "Valid" : "InvalidConfiguration")
                .withMessage(error == null ? "part of the configuration in force" : error).build());
        a.setStatus(st);
        return a;
    }

    /** An Event as the controller's EventRecorder posts it. */
    static Event event(String namespace, String service, String reason, String message, Duration ago) {
        return new EventBuilder().withNewMetadata().withNamespace(namespace)
                .withName(service + "." + Long.toHexString(ago.toMillis()) + reason.length()).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Service").withNamespace(namespace)
                .withName(service).withUid(namespace + "-" + service + "-uid").endInvolvedObject()
                .withType("Warning").withReason(reason).withMessage(message)
                .withFirstTimestamp(ago(ago)).withLastTimestamp(ago(ago)).withCount(1)
                .build();
    }
}
