/**
 * Processes the lab starts in its namespaces, their logs and their signals.
 */
package dev.ferrite.lab.process;
