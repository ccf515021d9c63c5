/**
 * The allocator's edge to Kubernetes: reads a Service object (annotations, spec, namespace
 * labels) once into the {@link dev.ferrite.controller.allocation.ServiceRequest} the pure
 * allocator works on, or a rejection naming the field and value.
 */
package dev.ferrite.controller.allocation.k8s;
