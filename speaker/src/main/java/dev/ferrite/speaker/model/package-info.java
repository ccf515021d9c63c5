/**
 * The speaker's values, shared from informer to announcer: a Service and its IPs, a Node, a
 * cluster snapshot, the ownership plan and what this node announces.
 */
package dev.ferrite.speaker.model;
