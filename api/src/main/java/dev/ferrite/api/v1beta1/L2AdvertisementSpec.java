package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class L2AdvertisementSpec {
    @JsonPropertyDescription("Names of the pools announced. With neither this nor ipAddressPoolSelectors, every pool is announced.")
    private List<String> ipAddressPools;

    @JsonPropertyDescription("Label selectors on IPAddressPools announced.")
    private List<LabelSelector> ipAddressPoolSelectors;

    @JsonPropertyDescription("Nodes that may announce. Empty means every node.")
    private List<LabelSelector> nodeSelectors;

    @JsonPropertyDescription("Interfaces to announce on. Empty means every suitable interface of the node.")
    private List<String> interfaces;

    @JsonPropertyDescription("Services this advertisement applies to. Empty means every Service of the selected pools.")
    private List<LabelSelector> serviceSelectors;

    @JsonPropertyDescription("Weighted node preferences for the election: among the candidates, the nodes with the highest "
            + "sum of the weights of the preferences they match announce. Empty means every candidate is equal.")
    private List<PreferredNodeSelector> preferredNodeSelectors;

    @JsonPropertyDescription("Re-send gratuitous ARP / unsolicited Neighbor Advertisement for the IPs of this advertisement "
            + "this often (a duration such as 30s or 5m, at least 1s). Unset means the speaker's --garp-refresh.")
    private String garpRefresh;

    public List<String> getIpAddressPools() {
        return ipAddressPools;
    }

    public void setIpAddressPools(List<String> ipAddressPools) {
        this.ipAddressPools = ipAddressPools;
    }

    public List<LabelSelector> getIpAddressPoolSelectors() {
        return ipAddressPoolSelectors;
    }

    public void setIpAddressPoolSelectors(List<LabelSelector> ipAddressPoolSelectors) {
        this.ipAddressPoolSelectors = ipAddressPoolSelectors;
    }

    public List<LabelSelector> getNodeSelectors() {
        return nodeSelectors;
    }

    public void setNodeSelectors(List<LabelSelector> nodeSelectors) {
        this.nodeSelectors = nodeSelectors;
    }

    public List<String> getInterfaces() {
        return interfaces;
    }

    public void setInterfaces(List<String> interfaces) {
        this.interfaces = interfaces;
    }

    public List<LabelSelector> getServiceSelectors() {
        return serviceSelectors;
    }

    public void setServiceSelectors(List<LabelSelector> serviceSelectors) {
        this.serviceSelectors = serviceSelectors;
    }

    public List<PreferredNodeSelector> getPreferredNodeSelectors() {
        return preferredNodeSelectors;
    }

    public void setPreferredNodeSelectors(List<PreferredNodeSelector> preferredNodeSelectors) {
        this.preferredNodeSelectors = preferredNodeSelectors;
    }

    public String getGarpRefresh() {
        return garpRefresh;
    }

    public void setGarpRefresh(String garpRefresh) {
        this.garpRefresh = garpRefresh;
    }
}
