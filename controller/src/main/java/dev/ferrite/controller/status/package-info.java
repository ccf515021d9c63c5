/**
 * Kubernetes glue out: Service status and annotations, pool and advertisement status
 * conditions, and Events, written off the reconcile thread.
 */
package dev.ferrite.controller.status;
