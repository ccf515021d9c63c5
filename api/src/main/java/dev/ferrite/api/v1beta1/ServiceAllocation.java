package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceAllocation {
    @JsonPropertyDescription("Lower numbers are tried first; pools without a priority come after those with one.")
    private Integer priority;

    @JsonPropertyDescription("Namespaces whose Services this pool serves.")
    private List<String> namespaces;

    @JsonPropertyDescription("Label selectors on Namespaces whose Services this pool serves.")
    private List<LabelSelector> namespaceSelectors;

    @JsonPropertyDescription("Label selectors on Services this pool serves.")
    private List<LabelSelector> serviceSelectors;

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    public List<String> getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(List<String> namespaces) {
        this.namespaces = namespaces;
    }

    public List<LabelSelector> getNamespaceSelectors() {
        return namespaceSelectors;
    }

    public void setNamespaceSelectors(List<LabelSelector> namespaceSelectors) {
        this.namespaceSelectors = namespaceSelectors;
    }

    public List<LabelSelector> getServiceSelectors() {
        return serviceSelectors;
    }

    public void setServiceSelectors(List<LabelSelector> serviceSelectors) {
        this.serviceSelectors = serviceSelectors;
    }
}
