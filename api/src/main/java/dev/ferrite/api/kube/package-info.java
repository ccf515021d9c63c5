/**
 * Kubernetes glue both components share: starting informers that keep retrying until the API
 * server answers.
 */
package dev.ferrite.api.kube;
