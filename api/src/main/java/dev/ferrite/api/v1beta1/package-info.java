/**
 * The custom resources of group {@code ferrite.dev}, version {@code v1beta1}, as fabric8 model
 * classes (the CRD YAML is generated from them).
 */
package dev.ferrite.api.v1beta1;
