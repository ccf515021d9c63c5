/**
 * The speaker process: {@code ferrite speaker} and the wiring of informers, membership, the
 * ownership loop, the announcer, status and metrics, including the graceful handover on
 * SIGTERM.
 */
package dev.ferrite.speaker;
