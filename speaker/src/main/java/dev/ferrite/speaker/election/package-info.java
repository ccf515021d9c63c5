/**
 * Who announces each Service IP: rendezvous hashing over the eligible live nodes, computed the
 * same on every speaker. Pure.
 */
package dev.ferrite.speaker.election;
