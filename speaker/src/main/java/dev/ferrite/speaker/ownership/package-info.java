/**
 * The ownership loop: on every change of cluster or membership it elects owners for all
 * Service IPs and tells the announcer what this node gains and loses.
 */
package dev.ferrite.speaker.ownership;
