/**
 * Kubernetes glue in: informers on Services, endpoints, Nodes, pools and advertisements,
 * turned into one {@link dev.ferrite.speaker.model.ClusterSnapshot}.
 */
package dev.ferrite.speaker.k8s;
