/**
 * The lab's network: namespaces, a bridge, veth pairs and addresses, created, marked as the
 * lab's own and removed again.
 */
package dev.ferrite.lab.netns;
