/**
 * The lab's embedded API server (fabric8's CRUD mock server) and the kubeconfig that points
 * the lab's processes at it.
 */
package dev.ferrite.lab.apiserver;
