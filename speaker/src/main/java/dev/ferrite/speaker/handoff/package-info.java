/**
 * Flow handoff: after a Service IP moves to this node, TCP flows this node has no state for
 * are routed to the previous owner's node, which still has their conntrack and NAT state, for
 * a bounded window. {@code HandoffState} (pure) decides the windows from the election
 * history, {@code HandoffRules} (pure) renders the nft and ip rules, {@code HandoffInstaller}
 * applies them.
 */
package dev.ferrite.speaker.handoff;
