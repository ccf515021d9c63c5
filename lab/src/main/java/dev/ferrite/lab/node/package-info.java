/**
 * Entry points of the processes the lab starts inside its namespaces (controller and
 * speakers).
 */
package dev.ferrite.lab.node;
