/**
 * Failover drills: the running lab (control plane, pods, speakers, client probe), faults as
 * objects that inject and heal, and the measurement of each fault and failback from the
 * client's probes, long-lived connections and neighbour table.
 */
package dev.ferrite.lab.drill;
