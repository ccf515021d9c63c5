package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Counts per family; a count that does not fit in int64 (IPv6 /64 and larger) is saturated at 2^63-1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAddressPoolStatus {
    @JsonPropertyDescription("IPv4 addresses of the pool in use by Services.")
    private Long assignedIPv4;
    @JsonPropertyDescription("IPv4 addresses of the pool still free.")
    private Long availableIPv4;
    @JsonPropertyDescription("IPv6 addresses of the pool in use by Services.")
    private Long assignedIPv6;
    @JsonPropertyDescription("IPv6 addresses of the pool still free (saturated at 2^63-1).")
    private Long availableIPv6;
    @JsonPropertyDescription("Addresses of the pool a host outside the cluster uses (a speaker's probe before announcing was answered): not handed out while listed; absent when none.")
    private List<AddressInUseInfo> addressesInUse;
    @JsonPropertyDescription("Valid: whether this pool is part of the configuration in force, and if not, why.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getAssignedIPv4() {
        return assignedIPv4;
    }

    public void setAssignedIPv4(Long assignedIPv4) {
        this.assignedIPv4 = assignedIPv4;
    }

    public Long getAvailableIPv4() {
        return availableIPv4;
    }

    public void setAvailableIPv4(Long availableIPv4) {
        this.availableIPv4 = availableIPv4;
    }

    public Long getAssignedIPv6() {
        return assignedIPv6;
    }

    public void setAssignedIPv6(Long assignedIPv6) {
        this.assignedIPv6 = assignedIPv6;
    }

    public Long getAvailableIPv6() {
        return availableIPv6;
    }

    public void setAvailableIPv6(Long availableIPv6) {
        this.availableIPv6 = availableIPv6;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public List<AddressInUseInfo> getAddressesInUse() {
        return addressesInUse;
    }

    public void setAddressesInUse(List<AddressInUseInfo> addressesInUse) {
        this.addressesInUse = addressesInUse;
    }
}
