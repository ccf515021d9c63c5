package dev.ferrite.api.v1beta1;

/** Empty on purpose: everything of a ServiceL2Status is observed state, kept in status. */
public class ServiceL2StatusSpec {
}
