/**
 * Which speakers are alive: the failure detector (heartbeats on a ring, suspicion,
 * authenticated and replay-protected UDP) and its state machine.
 */
package dev.ferrite.speaker.membership;
