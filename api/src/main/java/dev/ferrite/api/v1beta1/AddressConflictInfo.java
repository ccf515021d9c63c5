package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A host outside the cluster uses one of the Service's IPs, as the node's speaker saw it on
 * the wire. {@code kind} {@code InUse}: a probe before the first announcement was answered, so
 * the speaker does not announce the IP and the controller keeps it out of allocation;
 * {@code ForeignClaim}: the host claims an IP the speaker announces.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AddressConflictInfo {
    public static final String IN_USE = "InUse";
    public static final String FOREIGN_CLAIM = "ForeignClaim";

    @JsonPropertyDescription("The Service IP the other host uses.")
    private String ip;
    @JsonPropertyDescription("InUse (a probe before announcing was answered: not announced) or ForeignClaim (claimed while announced).")
    private String kind;
    @JsonPropertyDescription("MAC address of the other host.")
    private String mac;
    @JsonPropertyDescription("What was seen: ARP reply, gratuitous ARP, Neighbor Advertisement, ...")
    private String how;
    @JsonPropertyDescription("Interface of the node it was seen on.")
    private String interfaceName;
    @JsonPropertyDescription("When it was first seen (RFC 3339).")
    private String since;

    public AddressConflictInfo() {
    }

    public AddressConflictInfo(String ip, String kind, String mac, String how, String interfaceName, String since) {
        this.ip = ip;
        this.kind = kind;
        this.mac = mac;
        this.how = how;
        this.interfaceName = interfaceName;
        this.since = since;
    }

    public String getIp() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getMac() {
        return mac;
    }

    public void setMac(String mac) {
        this.mac = mac;
    }

    public String getHow() {
        return how;
    }

    public void setHow(String how) {
        this.how = how;
    }

    public String getInterfaceName() {
        return interfaceName;
    }

    public void setInterfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }
}
