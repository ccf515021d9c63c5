/**
 * What stands in for a node's pods in the lab: HTTP that names the node, reached through the
 * VIP.
 */
package dev.ferrite.lab.backend;
