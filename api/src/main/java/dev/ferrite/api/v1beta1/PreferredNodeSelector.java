package dev.ferrite.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** One weighted node preference of an L2Advertisement (MetalLB's {@code PreferredNodeSelector}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreferredNodeSelector {
    @JsonPropertyDescription("Weight, 1 to 100, added to the score of every node the preference matches.")
    @Required
    @Min(1)
    @Max(100)
    private Integer weight;

    @JsonPropertyDescription("Nodes this weight applies to. An empty selector matches every node.")
    @Required
    private LabelSelector preference;

    public PreferredNodeSelector() {
    }

    public PreferredNodeSelector(Integer weight, LabelSelector preference) {
        this.weight = weight;
        this.preference = preference;
    }

    public Integer getWeight() {
        return weight;
    }

    public void setWeight(Integer weight) {
        this.weight = weight;
    }

    public LabelSelector getPreference() {
        return preference;
    }

    public void setPreference(LabelSelector preference) {
        this.preference = preference;
    }
}
