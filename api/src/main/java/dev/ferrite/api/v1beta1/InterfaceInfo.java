package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class InterfaceInfo {
    @JsonPropertyDescription("Interface name on the node.")
    private String name;

    public InterfaceInfo() {
    }

    public InterfaceInfo(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
