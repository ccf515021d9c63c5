/**
 * Kubernetes glue in: informers on Services, pools and advertisements feed a work queue, and
 * one reconcile turns a Service into an allocation.
 */
package dev.ferrite.controller.reconcile;
