package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceL2StatusStatus {
    @JsonPropertyDescription("Node whose speaker announces the Service.")
    private String node;
    @JsonPropertyDescription("Name of the announced Service.")
    private String serviceName;
    @JsonPropertyDescription("Namespace of the announced Service.")
    private String serviceNamespace;
    @JsonPropertyDescription("Service IPs announced.")
    private List<String> ips = new ArrayList<>();
    @JsonPropertyDescription("Interfaces the IPs are announced on.")
    private List<InterfaceInfo> interfaces = new ArrayList<>();
    @JsonPropertyDescription("Announced IPs whose earlier owner still receives the connections it served (flow handoff); absent when none.")
    private List<HandoffInfo> handoffs;
    @JsonPropertyDescription("Hosts outside the cluster seen using the Service's IPs (InUse: found by the probe before announcing, not announced; ForeignClaim: claimed while announced); absent when none.")
    private List<AddressConflictInfo> conflicts;
    @JsonPropertyDescription("AddressInUse and ForeignClaim, present (status True) while the matching conflicts are; absent when none.")
    private List<Condition> conditions;

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getServiceName() {
        return serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public String getServiceNamespace() {
        return serviceNamespace;
    }

    public void setServiceNamespace(String serviceNamespace) {
        this.serviceNamespace = serviceNamespace;
    }

    public List<String> getIps() {
        return ips;
    }

    public void setIps(List<String> ips) {
        this.ips = ips;
    }

    public List<InterfaceInfo> getInterfaces() {
        return interfaces;
    }

    public void setInterfaces(List<InterfaceInfo> interfaces) {
        this.interfaces = interfaces;
    }

    public List<HandoffInfo> getHandoffs() {
        return handoffs;
    }

    public void setHandoffs(List<HandoffInfo> handoffs) {
        this.handoffs = handoffs;
    }

    public List<AddressConflictInfo> getConflicts() {
        return conflicts;
    }

    public void setConflicts(List<AddressConflictInfo> conflicts) {
        this.conflicts = conflicts;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
