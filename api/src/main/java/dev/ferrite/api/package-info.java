/**
 * Names shared by every component: the annotation keys Ferrite reads and writes, and how a
 * command reads {@code --kubeconfig}.
 */
package dev.ferrite.api;
