/**
 * Failover drills: inject a fault on the owner of an IP, watch the client's probes and
 * neighbour table, and measure the outage.
 */
package dev.ferrite.lab.drill;
