package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAddressPoolSpec {
    @Required
    @JsonPropertyDescription("Addresses of the pool: CIDRs (198.18.0.0/28, 2001:db8::/120), ranges "
            + "(198.18.0.10-198.18.0.20) or single addresses written as /32, /128 or a-a. IPv4 and IPv6 may be mixed.")
    private List<String> addresses = new ArrayList<>();

    @Default("true")
    @JsonPropertyDescription("Whether Services without an explicit pool or IP may be given addresses from this pool.")
    private Boolean autoAssign = true;

    @Default("false")
    @JsonPropertyDescription("Never hand out IPv4 addresses ending in .0 or .255.")
    private Boolean avoidBuggyIPs = false;

    @JsonPropertyDescription("Restricts and orders which Services this pool serves.")
    private ServiceAllocation serviceAllocation;

    public List<String> getAddresses() {
        return addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public Boolean getAutoAssign() {
        return autoAssign;
    }

    public void setAutoAssign(Boolean autoAssign) {
        this.autoAssign = autoAssign;
    }

    public Boolean getAvoidBuggyIPs() {
        return avoidBuggyIPs;
    }

    public void setAvoidBuggyIPs(Boolean avoidBuggyIPs) {
        this.avoidBuggyIPs = avoidBuggyIPs;
    }

    public ServiceAllocation getServiceAllocation() {
        return serviceAllocation;
    }

    public void setServiceAllocation(ServiceAllocation serviceAllocation) {
        this.serviceAllocation = serviceAllocation;
    }
}
