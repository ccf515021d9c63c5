package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An address of the pool that a host outside the cluster uses: kept out of allocation while listed. */
public class AddressInUseInfo {
    @JsonPropertyDescription("The address.")
    private String ip;
    @JsonPropertyDescription("Who found it in use: the MAC that answered which node's probe, and since when.")
    private String reason;

    public AddressInUseInfo() {
    }

    public AddressInUseInfo(String ip, String reason) {
        this.ip = ip;
        this.reason = reason;
    }

    public String getIp() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
