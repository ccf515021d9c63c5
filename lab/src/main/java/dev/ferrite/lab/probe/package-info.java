/**
 * The lab's client: probes a VIP every few milliseconds and logs which node answered.
 */
package dev.ferrite.lab.probe;
