/**
 * Which IP a LoadBalancer Service gets from which pool: the allocation order, sharing rules
 * and pool usage. Pure: no client, no I/O.
 */
package dev.ferrite.controller.allocation;
