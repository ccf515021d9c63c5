/**
 * {@code ferrite lab}: a whole cluster on one Linux machine, built from network namespaces,
 * for drills and demonstrations.
 */
package dev.ferrite.lab;
