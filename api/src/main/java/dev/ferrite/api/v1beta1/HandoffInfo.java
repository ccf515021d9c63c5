package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A Service IP this node took over whose previous owner still receives the flows it served. */
public class HandoffInfo {
    @JsonPropertyDescription("Service IP in a flow handoff window.")
    private String ip;
    @JsonPropertyDescription("Node that owned the IP before; connections it served are routed to it.")
    private String fromNode;
    @JsonPropertyDescription("When the handoff window ends at the latest (RFC 3339).")
    private String until;

    public HandoffInfo() {
    }

    public HandoffInfo(String ip, String fromNode, String until) {
        this.ip = ip;
        this.fromNode = fromNode;
        this.until = until;
    }

    public String getIp() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    public String getFromNode() {
        return fromNode;
    }

    public void setFromNode(String fromNode) {
        this.fromNode = fromNode;
    }

    public String getUntil() {
        return until;
    }

    public void setUntil(String until) {
        this.until = until;
    }
}
