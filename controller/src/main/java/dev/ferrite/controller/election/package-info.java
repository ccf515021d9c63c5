/**
 * Leader election among controller replicas through a coordination.k8s.io Lease, so one
 * replica allocates at a time.
 */
package dev.ferrite.controller.election;
