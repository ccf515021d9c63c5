/**
 * Kubernetes glue out: one ServiceL2Status per announced Service, and Events when this node
 * starts or stops announcing.
 */
package dev.ferrite.speaker.status;
